#include "finance/camt053_parser.h"

#include <map>

#include "finance/markup_scanner.h"
#include "finance/statement_values.h"
#include "finance/text_encoding.h"

namespace parcours::finance {
namespace {

constexpr std::string_view kCurrency = "CAD";

// Messages that are not statements but look alike, named for the error.
const std::map<std::string, std::string, std::less<>> kOtherMessages = {
    {"BkToCstmrAcctRpt", "a camt.052 account report"},
    {"BkToCstmrDbtCdtNtfctn", "a camt.054 debit/credit notification"},
    {"CstmrCdtTrfInitn", "a pain.001 payment initiation"},
    {"CstmrDrctDbtInitn", "a pain.008 direct debit initiation"},
};

std::vector<const XmlElement*> childrenNamed(const XmlElement& parent, std::string_view name) {
  std::vector<const XmlElement*> found;
  for (const XmlElement& child : parent.children) {
    if (child.name == name) found.push_back(&child);
  }
  return found;
}

void appendPart(std::string& out, std::string_view part) {
  const std::string collapsed = collapseSpaces(part);
  if (collapsed.empty()) return;
  if (!out.empty()) out += ' ';
  out += collapsed;
}

std::string partyName(const XmlElement* party) {
  if (party == nullptr) return {};
  const std::string direct = party->textAt("Nm");
  return direct.empty() ? party->textAt("Pty/Nm") : direct;
}

std::optional<core::LocalDate> dateOf(const XmlElement* holder) {
  if (holder == nullptr) return std::nullopt;
  const std::string day = holder->textAt("Dt");
  const std::string dateTime = holder->textAt("DtTm");
  if (!day.empty()) return parseDateWithPattern(day, "YYYY-MM-DD");
  if (dateTime.size() >= 10) return parseDateWithPattern(std::string_view(dateTime).substr(0, 10), "YYYY-MM-DD");
  return std::nullopt;
}

std::int64_t entryAmount(const XmlElement& entry) {
  const XmlElement* amount = entry.child("Amt");
  if (amount == nullptr) throw StatementError(entry.line, "the entry has no Amt");
  const std::string currency = amount->attribute("Ccy").value_or(std::string(kCurrency));
  if (currency != kCurrency) {
    throw StatementError(entry.line,
                         "the entry is in " + quotedExcerpt(currency) + "; only Canadian dollars are imported");
  }
  const std::optional<std::int64_t> cents = parseAmountCents(amount->text, '.');
  if (!cents || *cents < 0)
    throw StatementError(entry.line, "Amt " + quotedExcerpt(amount->text) + " is not an amount");
  if (*cents == 0) throw StatementError(entry.line, "the amount is zero");
  const std::string direction = entry.textAt("CdtDbtInd");
  if (direction == "CRDT") return *cents;
  if (direction == "DBIT") return -*cents;
  throw StatementError(entry.line, "CdtDbtInd " + quotedExcerpt(direction) + " is neither CRDT nor DBIT");
}

core::LocalDate entryDate(const XmlElement& entry) {
  std::optional<core::LocalDate> date = dateOf(entry.child("BookgDt"));
  if (!date && entry.child("BookgDt") == nullptr) date = dateOf(entry.child("ValDt"));
  if (!date) throw StatementError(entry.line, "the entry has no valid BookgDt or ValDt date");
  return *date;
}

// References, names and extra text of every TxDtls of the entry.
struct TransactionDetails {
  std::string reference;
  std::string names;
  std::string additional;
  std::string firstServicerRef;
};

TransactionDetails detailsOf(const XmlElement& entry, bool credit) {
  TransactionDetails details;
  for (const XmlElement* entryDetails : childrenNamed(entry, "NtryDtls")) {
    for (const XmlElement* transaction : childrenNamed(*entryDetails, "TxDtls")) {
      if (details.firstServicerRef.empty()) details.firstServicerRef = transaction->textAt("Refs/AcctSvcrRef");
      const std::string endToEnd = transaction->textAt("Refs/EndToEndId");
      if (endToEnd != "NOTPROVIDED") appendPart(details.reference, endToEnd);
      if (const XmlElement* remittance = transaction->child("RmtInf")) {
        for (const XmlElement* text : childrenNamed(*remittance, "Ustrd")) appendPart(details.reference, text->text);
        for (const XmlElement* structured : childrenNamed(*remittance, "Strd")) {
          appendPart(details.reference, structured->textAt("CdtrRefInf/Ref"));
        }
      }
      const XmlElement* parties = transaction->child("RltdPties");
      appendPart(details.names, partyName(parties == nullptr ? nullptr : parties->child(credit ? "Dbtr" : "Cdtr")));
      appendPart(details.additional, transaction->textAt("AddtlTxInf"));
    }
  }
  return details;
}

StatementLine toLine(const XmlElement& entry, const std::string& account) {
  StatementLine line;
  line.sourceLine = entry.line;
  line.account = account;
  line.amountCents = entryAmount(entry);
  line.date = entryDate(entry);
  const TransactionDetails details = detailsOf(entry, line.amountCents > 0);
  line.reference = details.reference;
  line.description = joinNonEmpty({details.names, details.additional, collapseSpaces(entry.textAt("AddtlNtryInf"))});
  line.sequence = collapseSpaces(entry.textAt("NtryRef"));
  const std::string servicerRef = collapseSpaces(entry.textAt("AcctSvcrRef"));
  const std::string bankId = servicerRef.empty() ? collapseSpaces(details.firstServicerRef) : servicerRef;
  if (!bankId.empty()) line.bankId = bankId;
  return line;
}

std::string accountOf(const XmlElement& statement) {
  const std::string iban = collapseSpaces(statement.textAt("Acct/Id/IBAN"));
  return iban.empty() ? collapseSpaces(statement.textAt("Acct/Id/Othr/Id")) : iban;
}

XmlElement documentOf(std::string_view text) {
  const std::vector<MarkupToken> tokens = scanMarkup(text);
  for (const MarkupToken& token : tokens) {
    if (token.kind == MarkupToken::Kind::instruction) continue;
    if (token.kind != MarkupToken::Kind::startTag) throw StatementError(token.line, "not an XML document");
    break;
  }
  return buildXmlTree(tokens);
}

}  // namespace

ParsedStatement parseCamt053(std::string_view bytes) {
  const XmlElement document = documentOf(decodeStatementText(bytes));
  if (document.name != "Document") {
    throw StatementError(document.line, "not an ISO 20022 document: the root is <" + document.name + ">");
  }
  const XmlElement* message = document.child("BkToCstmrStmt");
  if (message == nullptr) {
    const XmlElement* other = document.children.empty() ? nullptr : &document.children.front();
    const auto known = other == nullptr ? kOtherMessages.end() : kOtherMessages.find(other->name);
    throw StatementError(
        other == nullptr ? document.line : other->line,
        "not a camt.053 statement" + (known == kOtherMessages.end() ? std::string{} : ": it is " + known->second));
  }
  ParsedStatement statement{"camt053", {}};
  for (const XmlElement* stmt : childrenNamed(*message, "Stmt")) {
    const std::string account = accountOf(*stmt);
    for (const XmlElement* entry : childrenNamed(*stmt, "Ntry")) statement.lines.push_back(toLine(*entry, account));
  }
  if (statement.lines.empty()) throw StatementError(message->line, "the statement has no entry (<Ntry>)");
  return statement;
}

}  // namespace parcours::finance
