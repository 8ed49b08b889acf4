#pragma once
// Helpers of the billing ledger suite (docs/domain.md "Money"):
// - BillingWorld: the real participant, document and billing services over a
//   fresh test database (tests/storage/test_database.h: SQLite or MariaDB,
//   from PARCOURS_TEST_DRIVER), every migration of the daemon applied, a
//   manual clock, the enrolment hook wired as daemon/services.cpp does;
// - DatabaseState: what the billing tables hold, summed per account, read in
//   one transaction; compared before and after a rejected operation, which
//   must leave nothing behind;
// - ledgerProblems: the ledger identities against the test's own model;
// - DocumentAudit: every document number parsed and every ledger entry paired
//   with its document, incrementally (each row is read once).
// Checks return a list of problems in words (empty: all hold), so a failure
// says what is wrong, not only that something is.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "billing/billing_service.h"
#include "identity/keyed_hash.h"
#include "invoices/document_store.h"
#include "participants/participant_service.h"
#include "test_database.h"

namespace parcours::billing::ledger_test {

// A clock that moves only when told to; safe to read from several threads.
class ManualClock final : public core::Clock {
 public:
  explicit ManualClock(core::Instant start) : seconds_(start.time_since_epoch().count()) {}
  core::Instant now() const override { return core::Instant{std::chrono::seconds{seconds_.load()}}; }
  void advance(std::chrono::seconds by) { seconds_ += by.count(); }

 private:
  std::atomic<std::int64_t> seconds_;
};

inline const identity::AuditContext kContext{std::nullopt, "billing-ledger-test"};

class BillingWorld {
 public:
  BillingWorld(core::Instant start, BillingOptions options);
  ~BillingWorld();
  BillingWorld(const BillingWorld&) = delete;
  BillingWorld& operator=(const BillingWorld&) = delete;

  storage::Database& db() { return database_.db(); }
  storage::Dialect dialect() const { return database_.dialect(); }
  ManualClock& clock() { return clock_; }
  const date::time_zone& zone() const { return zone_; }
  core::LocalDate today() const { return core::localDateOf(clock_.now(), zone_); }
  BillingService& billing() { return *billing_; }
  participants::ParticipantService& participants() { return *participants_; }

  // A referral of person `n` (every n a different person); returns the id.
  std::int64_t refer(int n);
  // Eligible, then the signed commitment: the enrolment hook charges the fee.
  void enrol(std::int64_t id);

  // Runs inside the enrolment's transaction right after the fee is charged
  // (a test makes it throw to fail the enrolment half-way).
  std::function<void()> afterCharge;

 private:
  storage::test::TestDatabase database_;
  std::filesystem::path folder_;
  ManualClock clock_;
  const date::time_zone& zone_;
  std::unique_ptr<identity::KeyFileCipher> cipher_;
  std::unique_ptr<identity::KeyedHasher> lookup_;
  std::unique_ptr<identity::KeyedHasher> digests_;
  std::unique_ptr<invoices::DocumentStore> documents_;
  std::unique_ptr<participants::ParticipantService> participants_;
  std::unique_ptr<BillingService> billing_;
};

// One account's ledger, by kind of entry.
struct Totals {
  std::int64_t charges = 0, credits = 0, payments = 0, refunds = 0;
  std::int64_t returned = 0;  // payments the bank sent back
  std::int64_t balance() const { return charges - credits - payments + refunds + returned; }
  bool operator==(const Totals&) const = default;
};

struct Sum {
  std::int64_t cents = 0;
  std::int64_t count = 0;
  bool operator==(const Sum&) const = default;
};

// One account's installments, summed.
struct InstallmentSums {
  std::int64_t rows = 0;
  std::int64_t activePaid = 0;        // paid_cents of the non-replaced ones
  std::int64_t activeOpen = 0;        // amount_cents - paid_cents of the non-replaced ones
  std::int64_t paid = 0;              // paid_cents of all
  std::int64_t overpaid = 0;          // rows with paid_cents > amount_cents
  std::int64_t negative = 0;          // rows with paid_cents < 0 or amount_cents < 0
  std::int64_t replacedWithPaid = 0;  // replaced rows still holding money
  bool operator==(const InstallmentSums&) const = default;
};

struct AccountRow {
  std::int64_t feeCents = 0;
  std::string currency;
  bool operator==(const AccountRow&) const = default;
};

struct DatabaseState {
  std::map<std::int64_t, Totals> ledger;                 // by participant
  std::map<std::string, Sum> documents;                  // by kind
  std::map<std::int64_t, Sum> payments, refunds;         // tables, by participant
  std::map<std::int64_t, Sum> returned;                  // returned_payments, by the payer
  std::map<std::int64_t, std::int64_t> allocations;      // net, by participant
  std::map<std::int64_t, InstallmentSums> installments;  // by participant
  std::map<std::string, std::int64_t> counters;          // name -> value
  std::map<std::int64_t, AccountRow> accounts;           // by participant
  std::int64_t ledgerRows = 0, documentRows = 0, allocationRows = 0, auditRows = 0;
  std::int64_t returnedEntries = 0;  // ledger entries of kind returned (they refer to their receipt)
  bool operator==(const DatabaseState&) const = default;
};

DatabaseState readState(storage::Transaction& tx);
// The parts that differ, by name ("counters", "ledger", …).
std::vector<std::string> differences(const DatabaseState& before, const DatabaseState& after);

// What the test believes each account holds: the fee and the sums of the
// operations that succeeded.
struct ExpectedAccount {
  std::int64_t feeCents = 0;
  Totals totals;
};

// The identities of docs/domain.md "Money" between the state and the model:
// per account, ledger = model (so balance = charges − credits − payments +
// refunds + returned as the model has it), payments, refunds and
// returned_payments tables = ledger, allocations = installments' paid
// amounts, no installment overpaid or negative, paid on live installments ≤
// payments − refunds − returned; over all
// accounts, ledger sums by kind = document sums by kind (charge/invoice,
// credit/credit note, payment/receipt, refund/refund receipt).
std::vector<std::string> ledgerProblems(const DatabaseState& state,
                                        const std::map<std::int64_t, ExpectedAccount>& expected);

// What the live installments still ask (amount − paid) never exceeds what
// is owed (the balance, or 0 when the account is in credit): a schedule
// must not ask a participant for money they do not owe (an installment
// would turn overdue and be reminded).
std::vector<std::string> scheduleProblems(const DatabaseState& state);

// Reads the documents and ledger entries added since the last call and
// checks them: a number well-formed, of its kind's prefix and of the year of
// issue in the program zone, never seen before; each ledger entry pointing
// at its own document of the matching kind, participant and amount; then
// that each PREFIX-YEAR holds exactly 1..N and its counter says N. A
// returned entry points at the receipt of the payment it reverses (once, for
// no more than the receipt's amount).
class DocumentAudit {
 public:
  explicit DocumentAudit(const date::time_zone& zone) : zone_(zone) {}
  std::vector<std::string> update(storage::Transaction& tx);
  // "R-2027" → the sequences issued.
  const std::map<std::string, std::set<std::int64_t>>& numbers() const { return numbers_; }

 private:
  const date::time_zone& zone_;
  std::int64_t lastDocumentId_ = 0, lastEntryId_ = 0;
  std::int64_t documents_ = 0, entries_ = 0;
  std::map<std::string, std::set<std::int64_t>> numbers_;
  std::map<std::string, std::string> kindOfNumber_;
  std::set<std::string> numbersInLedger_;
  std::set<std::string> returnedReceipts_;
};

// Half-up sales taxes of one line (docs/domain.md: per tax, per line), computed
// here independently of billing/tax.cpp. REQUIRES: cents >= 0.
std::int64_t lineTotalWithTaxes(std::int64_t cents, TaxCode code);

}  // namespace parcours::billing::ledger_test
