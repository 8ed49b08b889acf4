#pragma once
// ReconciliationService — what finance staff do with the bank (docs/domain.md
// "Reconciliation"): import a statement, review and match its lines, mark
// bank fees and returned cheques, group hand-recorded payments into
// deposits, and close a reconciled month.
//
// An import is one transaction: every new line of the file, its matching
// and the payments recorded from it commit together or not at all. Imports
// take their turn on a lock row, so overlapping files imported at once add
// each line once. Staff actions lock the line's row first, so a match and an
// unmatch racing on one line leave it in one state or the other.
// Every write is audited; bank lines are personal data (sealed at rest,
// every read audited, never logged).

#include <optional>
#include <string>
#include <vector>

#include "billing/billing_service.h"
#include "finance/bank_line_store.h"
#include "finance/deposit_store.h"
#include "finance/statement_line.h"
#include "identity/audit_log.h"
#include "identity/keyed_hash.h"
#include "storage/database.h"

namespace parcours::finance {

struct ImportResult {
  core::StatementId statementId{0};
  int lines = 0;     // in the file
  int newLines = 0;  // not imported before
  int matched = 0, proposed = 0, unmatched = 0;  // of the new lines
};

// What staff match a line to: exactly one of the three.
struct MatchRequest {
  std::vector<core::PaymentId> payments;
  std::optional<core::DepositId> deposit;
  struct Record {
    core::ParticipantId participant{0};
    std::string method;  // as given: checked against billing::PaymentMethod
  };
  std::optional<Record> record;  // record a payment from the line (receipt issued)
};

struct IgnoreRequest {
  std::string kind;  // bank_fee, returned_cheque, other (as given)
  std::optional<core::PaymentId> payment;  // the returned cheque
  std::optional<std::string> note;
};

struct DepositRequest {
  std::string method;  // as given
  core::LocalDate depositedOn;
  std::vector<core::PaymentId> payments;
  std::int64_t feeCents = 0;
};

struct CloseRequest {
  std::string month;  // "YYYY-MM" as given
  bool force = false;
  std::optional<std::string> reason;
};

class ReconciliationService {
 public:
  // REQUIRES: every reference outlives the service. `keys` makes line
  // identities and payer-name keys (the digest key, never a field key).
  ReconciliationService(storage::Database& database, const billing::BillingService& billing,
                        const identity::KeyFileCipher& cipher, const identity::KeyedHasher& keys,
                        const core::Clock& clock, const date::time_zone& programZone);

  // Imports a parsed statement; `account` names the account when the file
  // does not ("" to keep the file's).
  ImportResult importStatement(const ParsedStatement& statement, const std::string& account,
                               const identity::AuditContext& context);

  // A page of lines; audited (one `bank_line.list` entry per read).
  std::vector<BankLineRecord> lines(const BankLineFilter& filter, const identity::AuditContext& context);
  BankLineRecord matchIn(storage::Transaction& tx, core::BankLineId line, const MatchRequest& request,
                         const identity::AuditContext& context) const;
  BankLineRecord unmatchIn(storage::Transaction& tx, core::BankLineId line,
                           const identity::AuditContext& context) const;
  BankLineRecord ignoreIn(storage::Transaction& tx, core::BankLineId line, const IgnoreRequest& request,
                          const identity::AuditContext& context) const;

  Deposit createDepositIn(storage::Transaction& tx, const DepositRequest& request,
                          const identity::AuditContext& context) const;
  std::vector<Deposit> deposits(std::optional<core::LocalDate> from, std::optional<core::LocalDate> to);

  billing::ClosedPeriod closePeriodIn(storage::Transaction& tx, const CloseRequest& request,
                                      const identity::AuditContext& context) const;

 private:
  // Locks and loads the line: 404 unknown; 409 when its month is closed.
  BankLineRecord lockedLine(storage::Transaction& tx, core::BankLineId line) const;
  // The keys of the payer's name in a line's description (finance/payer_names.h).
  std::vector<std::string> aliasKeysOf(const std::string& description) const;
  void learnPayer(storage::Transaction& tx, const BankLineRecord& line,
                  const std::vector<core::ParticipantId>& participants) const;
  // Records a payment from the line (its amount, date and text) and notes it
  // on the line; 409 when the line already recorded one.
  core::PaymentId recordFromLine(storage::Transaction& tx, const BankLineRecord& line, core::ParticipantId participant,
                                 const std::string& method, const identity::AuditContext& context) const;
  // The payment alone (receipt issued): for a line not stored yet.
  core::PaymentId recordPayment(storage::Transaction& tx, const BankLineRecord& line, core::ParticipantId participant,
                                const std::string& method, const identity::AuditContext& context) const;
  void audit(storage::Transaction& tx, const identity::AuditContext& context, const char* action,
             const std::string& targetType, const std::string& targetId, const std::string& detail) const;
  core::LocalDate today() const;

  storage::Database& database_;
  const billing::BillingService& billing_;
  const identity::KeyedHasher& keys_;
  const core::Clock& clock_;
  const date::time_zone& zone_;
  BankLineStore lines_;
  DepositStore deposits_;
};

// The identity of each line of a file (keyed by `keys`): its bank's id when
// the format has one, else account, date, amount, description, sequence and
// its occurrence among identical lines of the file — so the same lines
// downloaded again have the same keys, and two identical payments on one day
// stay two.
std::vector<std::string> lineKeys(const std::vector<StatementLine>& lines, const identity::KeyedHasher& keys);

}  // namespace parcours::finance
