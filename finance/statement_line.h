#pragma once
// A bank statement as the parsers read it: pure values, no storage.
//
// Every parser (CSV profiles, OFX 1.x/2.x, camt.053) is a pure function
// from the file's bytes to a ParsedStatement, or throws StatementError
// naming the first line that makes the file not a statement. A parser never
// returns part of a file: a file is a statement whole or not at all.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace parcours::finance {

struct StatementLine {
  int sourceLine = 0;          // 1-based line of the file where the transaction starts (for errors)
  std::string account;         // the bank account as the file names it ("" when it does not)
  core::LocalDate date;        // the posting date
  std::int64_t amountCents = 0;  // signed: credits (money in) positive, debits negative; never 0
  std::string description;     // UTF-8: the payee/payer and memo text, as the bank wrote them, trimmed
  std::string reference;       // UTF-8: cheque number, NtryRef/EndToEndId, remittance text ("" when none)
  std::optional<std::string> bankId;  // the bank's own transaction id (OFX FITID, camt AcctSvcrRef)
  std::string sequence;        // the bank's sequence number on the day when the format has one (Desjardins), else ""
  bool operator==(const StatementLine&) const = default;
};

struct ParsedStatement {
  std::string format;   // "desjardins", "rbc", "generic:<name>", "ofx", "camt053"
  std::vector<StatementLine> lines;
};

// A file that is not a statement: 422 with `line` (1-based) and the reason.
class StatementError : public core::Error {
 public:
  StatementError(int line, const std::string& reason)
      : core::Error(core::ErrorCode::unprocessable, "line " + std::to_string(line) + ": " + reason), line_(line) {
    withMember("line", std::to_string(line));
    withMember("reason", core::jsonQuote(reason));
  }
  int line() const noexcept { return line_; }

 private:
  int line_;
};

}  // namespace parcours::finance
