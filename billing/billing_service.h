#pragma once
// BillingService — the fee, payment plans, payments and refunds of each
// participant's account, over an append-only ledger (docs/domain.md "Money").
//
// Every write locks the participant's `accounts` row first, so the writes
// of one account are serialised, and issues its document (invoice, credit
// note, receipt, refund receipt) through invoices::DocumentStore in the
// same transaction: the entry, its document and its number commit together.
// Each write runs in its caller's transaction (`…In(tx, …)`), and has no
// other form: a route takes it from its Idempotency-Key record's transaction,
// enrolment and completion from theirs, so one commit holds all of it.
//
// Each method loads through the stores (account_store.h, payment_store.h),
// decides with the pure rules (installments.h, allocation.h,
// schedule_rules.h, fees.h, tax.h) and writes through the stores; the
// documents' contents are typed values (invoices/document_contents.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billing/account_store.h"
#include "billing/allocation.h"
#include "billing/installments.h"
#include "billing/ledger.h"
#include "billing/payment_store.h"
#include "billing/period_store.h"
#include "billing/tax.h"
#include "identity/audit_log.h"
#include "identity/identity_service.h"
#include "identity/key_file_cipher.h"
#include "invoices/document_contents.h"
#include "invoices/document_store.h"
#include "participants/participant_service.h"
#include "storage/database.h"

namespace parcours::billing {

struct BillingOptions {
  core::Money fee{50000, "CAD"};  // charged at enrolment; its currency is every new account's
  TaxCode feeTaxCode = TaxCode::exempt;
  int maxInstallments = 6;
  int graceDays = 7;
  std::int64_t maxPaymentCents = 10000000;  // 100 000.00: anything above is a typo
};

struct InstallmentView {
  Installment installment;
  InstallmentStatus status = InstallmentStatus::open;
};

// Amounts without a currency of their own (…Cents) are in the account's.
struct AccountView {
  core::ParticipantId participantId{0};
  std::string participantCode;  // "P-7K3Q9X": what payment references are made of
  bool exists = false;        // false until the fee is charged at enrolment
  core::Money fee{0, "CAD"};  // the current fee (zero in the program's currency without an account)
  AccountTotals totals;
  std::vector<InstallmentView> installments;
  std::vector<invoices::DocumentView> documents;
};

struct PlanRequest {
  int installments = 0;
  core::LocalDate firstDueOn;
  Frequency frequency = Frequency::monthly;
};

struct PaymentInput {
  core::ParticipantId participantId{0};
  core::Money amount{0, "CAD"};  // in the account's currency (422 on amount_cents otherwise)
  std::string method;            // as given: checked against PaymentMethod
  core::LocalDate receivedOn;
  std::optional<std::string> reference;
};

// A payment as recorded, with what it did to the account.
struct PaymentView : PaymentRecord {
  std::vector<Allocation> allocations;
  std::int64_t unallocatedCents = 0;  // the part no installment took (kept as credit on the account)
  core::Money balance{0, "CAD"};      // the account's balance afterwards
};

struct RefundView {
  core::RefundId id{0};
  core::PaymentId paymentId{0};
  core::ParticipantId participantId{0};
  core::Money amount{0, "CAD"};
  std::string reason;
  std::string number;
  core::Money balance{0, "CAD"};  // the account's balance afterwards
};

// A payment the bank sent back (a returned cheque, NSF).
struct ReturnedView {
  core::PaymentId paymentId{0};
  core::ParticipantId participantId{0};
  std::string receiptNumber;      // the payment's receipt, which stays (documents are immutable)
  core::Money amount{0, "CAD"};   // what was reversed: the payment less its refunds
  core::Money balance{0, "CAD"};  // the account's balance afterwards
};

struct FeeAdjustmentView {
  core::ParticipantId participantId{0};
  core::Money fee{0, "CAD"};
  invoices::DocumentView document;
  core::Money balance{0, "CAD"};  // the account's balance afterwards
};

class BillingService {
 public:
  // REQUIRES: every reference outlives the service.
  BillingService(storage::Database& database, const invoices::DocumentStore& documents,
                 const participants::ParticipantService& participants, const identity::KeyFileCipher& cipher,
                 const core::Clock& clock, const date::time_zone& programZone, BillingOptions options);

  const BillingOptions& options() const { return options_; }

  // At enrolment: opens the account, charges the fee and issues its invoice.
  void chargeFeeIn(storage::Transaction& tx, core::ParticipantId participant,
                   const identity::AuditContext& context) const;

  AccountView account(core::ParticipantId participant);

  std::vector<InstallmentView> setPaymentPlanIn(storage::Transaction& tx, core::ParticipantId participant,
                                                const PlanRequest& request,
                                                const identity::AuditContext& context) const;

  PaymentView recordPaymentIn(storage::Transaction& tx, const PaymentInput& input,
                              const identity::AuditContext& context) const;
  // A page of payments. Their references can name the payer, so the read
  // is audited: one `payment.list` entry per participant on the page, with
  // how many of their payments it showed (never a reference).
  std::vector<PaymentRecord> payments(const PaymentFilter& filter, const identity::AuditContext& context);

  std::optional<PaymentRecord> findPaymentIn(storage::Transaction& tx, core::PaymentId payment) const {
    return payments_.find(tx, payment);
  }

  // Amounts given here are in the account's currency: one in another is a
  // 422 on its `…_cents` field, after the checks of its cents.
  RefundView refundIn(storage::Transaction& tx, core::PaymentId payment, const core::Money& amount,
                      const std::string& reason, const identity::AuditContext& context) const;

  // Reverses a payment the bank sent back: a ledger entry of kind
  // `returned` (referring to its receipt), the installments it had settled
  // reopened. 404 unknown payment; 409 when already returned or nothing of
  // it is left unrefunded; 409 when `returnedOn`'s month is closed.
  ReturnedView returnPaymentIn(storage::Transaction& tx, core::PaymentId payment, core::LocalDate returnedOn,
                               const identity::AuditContext& context) const;

  // 409 (naming `field` and the period) when `day`'s month is closed.
  void requireOpenPeriod(storage::Transaction& tx, core::LocalDate day, const char* field) const;
  const PeriodStore& periods() const { return periods_; }

  FeeAdjustmentView adjustFeeIn(storage::Transaction& tx, core::ParticipantId participant, const core::Money& newFee,
                                const std::string& reason, const identity::AuditContext& context) const;

  std::vector<invoices::DocumentRow> documents(const invoices::DocumentFilter& filter);

  // The account totals recomputed from the ledger, and the sums of the
  // issued documents that must agree with them (for checks and tests).
  AccountTotals totalsIn(storage::Transaction& tx, core::ParticipantId participant) const;

 private:
  // Locks the account and returns its fee; 409 with current_status when
  // the participant has none (never enrolled); 404 when unknown.
  core::Money lockAccount(storage::Transaction& tx, core::ParticipantId participant) const;
  // The account's balance, in its currency.
  core::Money balanceOf(storage::Transaction& tx, core::ParticipantId participant, const core::Money& fee) const;
  // Keeps the installments from asking for more than the balance.
  void trimSchedule(storage::Transaction& tx, core::ParticipantId participant) const;
  invoices::Party partyOf(storage::Transaction& tx, core::ParticipantId participant) const;
  void audit(storage::Transaction& tx, const identity::AuditContext& context, const char* action,
             core::ParticipantId participant, const std::string& detail, core::Instant at) const;
  core::LocalDate today() const;

  storage::Database& database_;
  const invoices::DocumentStore& documents_;
  const participants::ParticipantService& participants_;
  const core::Clock& clock_;
  const date::time_zone& zone_;
  BillingOptions options_;
  AccountStore accounts_;
  PaymentStore payments_;
  PeriodStore periods_;
};

}  // namespace parcours::billing
