#include "finance/ofx_parser.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "finance/markup_scanner.h"
#include "finance/statement_values.h"
#include "finance/text_encoding.h"

namespace parcours::finance {
namespace {

std::string uppercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

bool isAccountAggregate(const std::string& tag) {
  return tag == "BANKACCTFROM" || tag == "CCACCTFROM";
}

struct OpenTransaction {
  int line = 0;
  std::map<std::string, std::string> fields;  // first value of each leaf, by upper-case tag
};

std::string field(const OpenTransaction& transaction, const std::string& name) {
  const auto found = transaction.fields.find(name);
  return found == transaction.fields.end() ? std::string{} : collapseSpaces(found->second);
}

std::int64_t transactionAmount(const OpenTransaction& transaction) {
  const std::string text = field(transaction, "TRNAMT");
  if (text.empty()) throw StatementError(transaction.line, "the transaction has no TRNAMT");
  const char mark = text.find('.') == std::string::npos && text.find(',') != std::string::npos ? ',' : '.';
  const std::optional<std::int64_t> cents = parseAmountCents(text, mark);
  if (!cents) throw StatementError(transaction.line, "TRNAMT " + quotedExcerpt(text) + " is not an amount");
  if (*cents == 0) throw StatementError(transaction.line, "the amount is zero");
  return *cents;
}

core::LocalDate transactionDate(const OpenTransaction& transaction) {
  const std::string text = field(transaction, "DTPOSTED");
  if (text.empty()) throw StatementError(transaction.line, "the transaction has no DTPOSTED");
  const std::optional<core::LocalDate> date = parseDateWithPattern(std::string_view(text).substr(0, 8), "YYYYMMDD");
  const bool restIsTime = text.size() == 8 || std::isdigit(static_cast<unsigned char>(text[8])) || text[8] == '[';
  if (!date || !restIsTime)
    throw StatementError(transaction.line, "DTPOSTED " + quotedExcerpt(text) + " is not a date");
  return *date;
}

StatementLine toLine(const OpenTransaction& transaction, const std::string& account) {
  StatementLine line;
  line.sourceLine = transaction.line;
  line.account = account;
  line.date = transactionDate(transaction);
  line.amountCents = transactionAmount(transaction);
  const std::string name = field(transaction, "NAME");
  const std::string memo = field(transaction, "MEMO");
  line.description = joinNonEmpty({name, memo == name ? std::string{} : memo});
  line.reference = joinNonEmpty({field(transaction, "CHECKNUM"), field(transaction, "REFNUM"), memo});
  const std::string fitid = field(transaction, "FITID");
  if (!fitid.empty()) line.bankId = fitid;
  return line;
}

// Walks the tokens once. Leaf values are the text right after a start tag,
// which reads SGML leaves ("<TRNAMT>-45.00") and XML ones alike.
class OfxReader {
 public:
  ParsedStatement read(const std::vector<MarkupToken>& tokens) {
    for (const MarkupToken& token : tokens) {
      lastLine_ = token.line;
      if (token.kind == MarkupToken::Kind::startTag) onStart(token);
      if (token.kind == MarkupToken::Kind::endTag) onEnd(token);
      if (token.kind == MarkupToken::Kind::text) onText(token);
    }
    if (!sawRoot_) throw StatementError(1, "not an OFX file: it has no <OFX> element");
    if (!closedRoot_) throw StatementError(lastLine_, "the file ends before </OFX>: it is incomplete");
    if (statement_.lines.empty()) throw StatementError(1, "the file has no transaction (<STMTTRN>)");
    return std::move(statement_);
  }

 private:
  void onStart(const MarkupToken& token) {
    const std::string tag = uppercase(token.name);
    pendingLeaf_.clear();
    if (closedRoot_) throw StatementError(token.line, "there is content after </OFX>");
    if (tag == "OFX") {
      sawRoot_ = true;
      return;
    }
    if (!sawRoot_) return;
    if (isAccountAggregate(tag)) {
      inAccount_ = true;
      accountParts_.clear();
    } else if (tag == "STMTTRN") {
      finishTransaction();
      transaction_ = OpenTransaction{token.line, {}};
    } else if (!token.selfClosing) {
      pendingLeaf_ = tag;
    }
  }

  void onEnd(const MarkupToken& token) {
    const std::string tag = uppercase(token.name);
    pendingLeaf_.clear();
    if (isAccountAggregate(tag)) {
      inAccount_ = false;
      account_ = joinNonEmpty({accountParts_["BANKID"], accountParts_["BRANCHID"], accountParts_["ACCTID"]}, "-");
    } else if (tag == "STMTTRN" || tag == "BANKTRANLIST" || tag == "STMTRS" || tag == "CCSTMTRS") {
      finishTransaction();
    } else if (tag == "OFX" && sawRoot_) {
      if (transaction_) throw StatementError(transaction_->line, "<STMTTRN> is never closed");
      closedRoot_ = true;
    }
  }

  void onText(const MarkupToken& token) {
    if (pendingLeaf_.empty()) return;
    if (inAccount_) accountParts_.emplace(pendingLeaf_, token.text);
    if (transaction_) transaction_->fields.emplace(pendingLeaf_, token.text);
    pendingLeaf_.clear();
  }

  void finishTransaction() {
    if (!transaction_) return;
    statement_.lines.push_back(toLine(*transaction_, account_));
    transaction_.reset();
  }

  ParsedStatement statement_{"ofx", {}};
  std::optional<OpenTransaction> transaction_;
  std::map<std::string, std::string> accountParts_;
  std::string account_;
  std::string pendingLeaf_;
  bool inAccount_ = false;
  bool sawRoot_ = false;
  bool closedRoot_ = false;
  int lastLine_ = 1;
};

}  // namespace

ParsedStatement parseOfx(std::string_view bytes) {
  const std::string text = decodeStatementText(bytes);
  return OfxReader().read(scanMarkup(text));
}

}  // namespace parcours::finance
