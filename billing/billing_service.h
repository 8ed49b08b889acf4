#pragma once
// BillingService — the fee, payment plans, payments and refunds of each
// participant's account, over an append-only ledger (docs/domain.md "Money").
//
// Every write locks the participant's `accounts` row first, so the writes
// of one account are serialised, and issues its document (invoice, credit
// note, receipt, refund receipt) through invoices::DocumentStore in the
// same transaction: the entry, its document and its number commit together.
// Each write has an `…In(tx, …)` form so that the api layer can wrap it with
// an idempotency record in the same transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billing/account_store.h"
#include "billing/allocation.h"
#include "billing/installments.h"
#include "billing/ledger.h"
#include "billing/payment_store.h"
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
  std::int64_t feeCents = 50000;
  TaxCode feeTaxCode = TaxCode::exempt;
  std::string currency = "CAD";
  int maxInstallments = 6;
  int graceDays = 7;
  std::int64_t maxPaymentCents = 10000000;  // 100 000.00: anything above is a typo
};

struct InstallmentView {
  Installment installment;
  InstallmentStatus status = InstallmentStatus::open;
};

struct AccountView {
  std::int64_t participantId = 0;
  bool exists = false;  // false until the fee is charged at enrolment
  std::string currency;
  std::int64_t feeCents = 0;
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
  std::int64_t participantId = 0;
  std::int64_t amountCents = 0;
  std::string method;
  core::LocalDate receivedOn;
  std::optional<std::string> reference;
};

struct PaymentView {
  std::int64_t id = 0;
  std::int64_t participantId = 0;
  std::int64_t amountCents = 0;
  std::string currency;
  std::string method;
  core::LocalDate receivedOn;
  std::optional<std::string> reference;
  std::string receiptNumber;
  core::Instant recordedAt;
  std::int64_t refundedCents = 0;
  std::vector<Allocation> allocations;  // only on the answer to recordPayment
  std::int64_t unallocatedCents = 0;    // the part no installment took (kept as credit on the account)
  std::int64_t balanceCents = 0;        // the account's balance afterwards
};

struct RefundView {
  std::int64_t id = 0;
  std::int64_t paymentId = 0;
  std::int64_t participantId = 0;
  std::int64_t amountCents = 0;
  std::string currency;
  std::string reason;
  std::string number;
  std::int64_t balanceCents = 0;
};

struct FeeAdjustmentView {
  std::int64_t participantId = 0;
  std::int64_t feeCents = 0;
  invoices::DocumentView document;
  std::int64_t balanceCents = 0;
};

class BillingService {
 public:
  // REQUIRES: every reference outlives the service.
  BillingService(storage::Database& database, const invoices::DocumentStore& documents,
                 const participants::ParticipantService& participants, const identity::KeyFileCipher& cipher,
                 const core::Clock& clock, const date::time_zone& programZone, BillingOptions options);

  const BillingOptions& options() const { return options_; }

  // At enrolment: opens the account, charges the fee and issues its invoice.
  void chargeFeeIn(storage::Transaction& tx, std::int64_t participantId, const identity::AuditContext& context) const;

  AccountView account(std::int64_t participantId);

  std::vector<InstallmentView> setPaymentPlanIn(storage::Transaction& tx, std::int64_t participantId,
                                                const PlanRequest& request,
                                                const identity::AuditContext& context) const;

  PaymentView recordPaymentIn(storage::Transaction& tx, const PaymentInput& input,
                              const identity::AuditContext& context) const;
  // A page of payments. Their references can name the payer, so the read
  // is audited: one `payment.list` entry per participant on the page, with
  // how many of their payments it showed (never a reference).
  std::vector<PaymentView> payments(const PaymentFilter& filter, const identity::AuditContext& context);

  RefundView refundIn(storage::Transaction& tx, std::int64_t paymentId, std::int64_t amountCents,
                      const std::string& reason, const identity::AuditContext& context) const;

  FeeAdjustmentView adjustFeeIn(storage::Transaction& tx, std::int64_t participantId, std::int64_t newFeeCents,
                                const std::string& reason, const identity::AuditContext& context) const;

  std::vector<invoices::DocumentRow> documents(const invoices::DocumentFilter& filter);

  // The account totals recomputed from the ledger, and the sums of the
  // issued documents that must agree with them (for checks and tests).
  AccountTotals totalsIn(storage::Transaction& tx, std::int64_t participantId) const;

  storage::Database& database() { return database_; }

 private:
  // Locks the account and returns its fee; 409 with current_status when
  // the participant has none (never enrolled); 404 when unknown.
  core::Money lockAccount(storage::Transaction& tx, core::ParticipantId participant) const;
  // Keeps the installments from asking for more than the balance.
  void trimSchedule(storage::Transaction& tx, core::ParticipantId participant) const;
  invoices::Party partyOf(storage::Transaction& tx, core::ParticipantId participant) const;
  void audit(storage::Transaction& tx, const identity::AuditContext& context, const char* action,
             core::ParticipantId participant, const std::string& detail, core::Instant at) const;
  core::LocalDate today() const;

  storage::Database& database_;
  const invoices::DocumentStore& documents_;
  const participants::ParticipantService& participants_;
  const identity::KeyFileCipher& cipher_;
  const core::Clock& clock_;
  const date::time_zone& zone_;
  BillingOptions options_;
  AccountStore accounts_;
  PaymentStore payments_;
};

}  // namespace parcours::billing
