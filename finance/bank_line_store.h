#pragma once
// BankLineStore — the SQL of imported statements and their bank lines:
// identity keys, sealed details, match state, the payments a line settles,
// the history of every match, unmatch and ignore, and the payer names
// learned from confirmed matches. Rows in, typed values out; no rules here
// (finance/matching.h holds them). Every method runs inside the caller's
// transaction.
//
// A line's account, description, reference, bank id, sequence and note are
// personal data: they are sealed together in `details_enc`, bound to the
// line's id, which is why an import gives ids itself (under the import lock)
// and writes each line in one statement.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/id.h"
#include "finance/matching.h"
#include "identity/key_file_cipher.h"
#include "storage/database.h"

namespace parcours::finance {

struct BankLineDetails {
  std::string account;
  std::string description;
  std::string reference;
  std::optional<std::string> bankId;
  std::string sequence;
  std::optional<std::string> note;  // why staff ignored it
};

struct BankLineRecord {
  core::BankLineId id{0};
  core::StatementId statementId{0};
  core::LocalDate bookedOn;
  std::int64_t amountCents = 0;
  BankLineDetails details;
  LineStatus status = LineStatus::unmatched;
  std::optional<MatchRule> rule;             // how it was matched
  std::optional<core::UserId> matchedBy;     // nullopt with a rule: matched automatically
  std::optional<core::Instant> matchedAt;
  std::optional<core::DepositId> deposit;
  std::optional<core::PaymentId> recordedPayment;  // a payment recorded from this line (kept when unmatched)
  std::optional<std::string> ignoreKind;           // bank_fee, returned_cheque, other
  std::vector<core::PaymentId> payments;           // the payments it settles
  std::vector<Candidate> candidates;               // for the review queue
};

struct BankLineFilter {
  std::optional<LineStatus> status;
  std::optional<core::LocalDate> from, to;  // booked_on, inclusive
  core::BankLineId afterId{0};
  int limit = 50;
};

// How a line's match state changes (everything but its identity and details).
struct LineMatchState {
  LineStatus status = LineStatus::unmatched;
  std::optional<MatchRule> rule;
  std::optional<core::UserId> by;
  std::optional<core::Instant> at;
  std::optional<core::DepositId> deposit;
  std::optional<std::string> ignoreKind;
  std::vector<Candidate> candidates;
};

class BankLineStore {
 public:
  // REQUIRES: cipher outlives the store.
  explicit BankLineStore(const identity::KeyFileCipher& cipher) : cipher_(cipher) {}

  // Takes the import lock (one import at a time, on every daemon).
  void lockImports(storage::Transaction& tx) const;
  // The highest line id so far (0 when none). REQUIRES: the import lock.
  std::int64_t lastLineId(storage::Transaction& tx) const;
  // Which of `keys` are already stored.
  std::set<std::string> existingKeys(storage::Transaction& tx, const std::vector<std::string>& keys) const;
  core::StatementId insertStatement(storage::Transaction& tx, const std::string& format, int lines, int newLines,
                                    core::Instant at, std::optional<core::UserId> by) const;
  struct NewLine {
    BankLineRecord line;
    std::string key;
  };
  // Stores new lines with the ids and states given, several per statement
  // (REQUIRES: the import lock), with the payments each settles and one
  // "match" event per line matched automatically.
  void insertLines(storage::Transaction& tx, const std::vector<NewLine>& lines, core::Instant at) const;

  // Locks the line's row; false when there is no such line.
  bool lockLine(storage::Transaction& tx, core::BankLineId line) const;
  std::optional<BankLineRecord> find(storage::Transaction& tx, core::BankLineId line) const;
  std::vector<BankLineRecord> list(storage::Transaction& tx, const BankLineFilter& filter) const;
  void setState(storage::Transaction& tx, core::BankLineId line, const LineMatchState& state) const;
  void setRecordedPayment(storage::Transaction& tx, core::BankLineId line, core::PaymentId payment) const;
  void sealDetails(storage::Transaction& tx, core::BankLineId line, const BankLineDetails& details) const;

  // Throws storage::ConstraintViolation when a payment is already linked to a line.
  void linkPayments(storage::Transaction& tx, core::BankLineId line, const std::vector<core::PaymentId>& payments) const;
  void unlinkPayments(storage::Transaction& tx, core::BankLineId line) const;
  // The line a payment was seen on, if any.
  std::optional<core::BankLineId> lineOfPayment(storage::Transaction& tx, core::PaymentId payment) const;
  std::optional<core::BankLineId> lineOfDeposit(storage::Transaction& tx, core::DepositId deposit) const;

  void addEvent(storage::Transaction& tx, core::BankLineId line, const std::string& action,
                std::optional<MatchRule> rule, std::optional<core::UserId> actor, core::Instant at,
                const std::string& detail) const;
  // Lines booked in [from, to] still unmatched or proposed.
  std::int64_t countOpen(storage::Transaction& tx, core::LocalDate from, core::LocalDate to) const;

  void learnAlias(storage::Transaction& tx, const std::string& aliasKey, core::ParticipantId participant,
                  core::Instant at) const;

 private:
  BankLineRecord fromRow(storage::Transaction& tx, const storage::Row& row) const;

  const identity::KeyFileCipher& cipher_;
};

// Candidates as stored text, and back (ids and fixed reasons only).
std::string candidatesToText(const std::vector<Candidate>& candidates);
std::vector<Candidate> candidatesFromText(std::string_view text);

}  // namespace parcours::finance
