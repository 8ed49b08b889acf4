// ReconciliationService::importStatement and the identity of bank lines
// (finance/reconciliation_service.h).
#include <initializer_list>
#include <map>

#include "core/error.h"
#include "finance/book_loader.h"
#include "finance/reconciliation_service.h"

namespace parcours::finance {

using core::Error;
using core::ErrorCode;

namespace {

// A field of a line's identity text: its length, then itself, so no
// content can pass for a field boundary.
void appendField(std::string& text, std::string_view field) {
  text += std::to_string(field.size());
  text += ':';
  text += field;
}

std::string lowered(const StatementLine& line) {
  std::string text = line.description + " " + line.reference;
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool mentionsAny(const std::string& text, std::initializer_list<const char*> words) {
  for (const char* word : words) {
    if (text.find(word) != std::string::npos) return true;
  }
  return false;
}

// What a payment recorded from a line was paid by, as far as its text tells.
std::string methodOfLine(const StatementLine& line) {
  return mentionsAny(lowered(line), {"interac", "e-transfer", "etransfer", "e-transfert", "virement int", "courriel"})
             ? "interac"
             : "bank_transfer";
}

// A line that reads as money sent electronically is no deposit slip.
bool readsAsTransfer(const StatementLine& line) {
  return methodOfLine(line) == "interac" ||
         mentionsAny(lowered(line), {"virement", "transfer", "transfert", "wire", "tef ", "eft "});
}

}  // namespace

std::vector<std::string> lineKeys(const std::vector<StatementLine>& lines, const identity::KeyedHasher& keys) {
  std::vector<std::string> all;
  all.reserve(lines.size());
  std::map<std::string, int> seen;  // identity text → occurrences so far in this file
  for (const auto& line : lines) {
    std::string text = "bank-line/1 ";
    appendField(text, line.account);
    if (line.bankId && !line.bankId->empty()) {
      appendField(text, "id");
      appendField(text, *line.bankId);
    } else {
      appendField(text, core::formatDate(line.date));
      appendField(text, std::to_string(line.amountCents));
      appendField(text, line.description);
      appendField(text, line.reference);
      appendField(text, line.sequence);
    }
    const int occurrence = ++seen[text];
    appendField(text, std::to_string(occurrence));
    all.push_back(keys.hash(text));
  }
  return all;
}

ImportResult ReconciliationService::importStatement(const ParsedStatement& statement, const std::string& account,
                                                    const identity::AuditContext& context) {
  std::vector<StatementLine> lines = statement.lines;
  for (auto& line : lines) {
    if (!account.empty() && line.account.empty()) line.account = account;
  }
  const auto keys = lineKeys(lines, keys_);
  std::vector<BankLineFacts> facts;
  BookRequest wanted;
  wanted.earliest = wanted.latest = lines.empty() ? today() : lines.front().date;
  for (const auto& line : lines) {
    BankLineFacts f{line.date, line.amountCents, scanReferences(line.description + " " + line.reference),
                    aliasKeysOf(line.description), readsAsTransfer(line)};
    for (auto& code : f.references.allCodes()) wanted.participantCodes.insert(std::move(code));
    wanted.documentNumbers.insert(f.references.documentNumbers.begin(), f.references.documentNumbers.end());
    wanted.aliasKeys.insert(f.payerAliases.begin(), f.payerAliases.end());
    wanted.earliest = std::min(wanted.earliest, line.date);
    wanted.latest = std::max(wanted.latest, line.date);
    facts.push_back(std::move(f));
  }
  const core::LocalDate lastDay = today();
  for (const auto& line : lines) {
    if (line.date > lastDay) throw StatementError(line.sourceLine, "dated in the future: is this the right file?");
  }

  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    lines_.lockImports(tx);
    const auto now = clock_.now();
    const auto existing = lines_.existingKeys(tx, keys);
    ImportResult result;
    result.lines = static_cast<int>(lines.size());
    std::vector<std::size_t> fresh;
    std::set<std::string> inThisFile;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (existing.count(keys[i]) == 0 && inThisFile.insert(keys[i]).second) fresh.push_back(i);
    }
    result.newLines = static_cast<int>(fresh.size());
    result.statementId = lines_.insertStatement(tx, statement.format, result.lines, result.newLines, now,
                                                context.actorUserId);
    MatchingBook book;
    if (!fresh.empty()) {
      book = loadBook(tx, wanted);
      std::vector<BankLineFacts> freshFacts;
      for (const std::size_t i : fresh) freshFacts.push_back(facts[i]);
      book.contestedDeposits = contestedDeposits(freshFacts, book);
    }
    std::map<std::string, bool> closedMonths;  // "YYYY-MM" → closed
    const auto closed = [&](core::LocalDate day) {
      const auto month = billing::monthOf(day);
      const auto known = closedMonths.find(month);
      if (known != closedMonths.end()) return known->second;
      return closedMonths[month] = billing_.periods().isClosed(tx, day);
    };
    std::int64_t nextId = lines_.lastLineId(tx);
    std::vector<BankLineStore::NewLine> batch;
    batch.reserve(fresh.size());
    for (const std::size_t i : fresh) {
      const StatementLine& source = lines[i];
      BankLineRecord line;
      line.id = core::BankLineId(++nextId);
      line.statementId = result.statementId;
      line.bookedOn = source.date;
      line.amountCents = source.amountCents;
      line.details = {source.account, source.description, source.reference, source.bankId, source.sequence, {}};
      MatchDecision decision = decideMatch(facts[i], book);
      // Nothing is applied in a closed month: it waits for staff.
      if (decision.applied && closed(source.date)) {
        decision.candidates = {*decision.applied};
        decision.applied.reset();
        decision.status = LineStatus::proposed;
      }
      line.status = decision.status;
      line.candidates = decision.candidates;
      if (decision.applied) {
        line.rule = decision.applied->rule;
        line.matchedAt = now;
        line.deposit = decision.applied->deposit;
        line.payments = decision.applied->payments;
        if (decision.applied->participant && line.payments.empty()) {
          line.recordedPayment =
              recordPayment(tx, line, *decision.applied->participant, methodOfLine(source), context);
          line.payments.push_back(*line.recordedPayment);
        }
        consume(book, *decision.applied, line.amountCents);
      }
      switch (line.status) {
        case LineStatus::matched: ++result.matched; break;
        case LineStatus::proposed: ++result.proposed; break;
        default: ++result.unmatched; break;
      }
      batch.push_back({std::move(line), keys[i]});
    }
    lines_.insertLines(tx, batch, now);
    audit(tx, context, "bank_statement.import", "bank_statement", result.statementId.toString(),
          "format=" + statement.format + " lines=" + std::to_string(result.lines) +
              " new=" + std::to_string(result.newLines) + " matched=" + std::to_string(result.matched));
    return result;
  });
}

}  // namespace parcours::finance
