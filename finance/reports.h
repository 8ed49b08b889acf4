#pragma once
// Finance reports (docs/api.md "Reports", docs/decisions.md "Finance
// (issue 11): reports") — pure: typed rows in, report rows and totals out.
// No clock, no database: finance/report_service.h loads the rows
// (finance/report_store.h) and calls these.
//
// Every amount is in cents of the program's currency. Every report's totals
// are the sums of its rows, so a report adds up to the ledger exactly when
// its rows do.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billing/installments.h"
#include "billing/ledger.h"
#include "billing/payment_store.h"
#include "core/id.h"
#include "core/time.h"
#include "finance/deposit_store.h"
#include "finance/matching.h"

namespace parcours::finance {

// ---- What the store loads -------------------------------------------------

// One account as it stands: its ledger totals and its installments.
struct AccountBalance {
  core::ParticipantId participant{0};
  std::string code;  // "P-7K3Q9X"
  std::string name;  // "Given Family" (filled only where a report shows it)
  billing::AccountTotals totals;
  std::vector<billing::Installment> installments;  // replaced ones included
};

// One ledger entry; `method` is the payment's, on payment entries.
struct LedgerLine {
  core::ParticipantId participant{0};
  billing::EntryKind kind = billing::EntryKind::charge;
  std::int64_t cents = 0;
  std::string document;  // its document (a returned payment: the payment's receipt)
  core::Instant at;
  std::optional<billing::PaymentMethod> method;
};

// One payment, with where it stands at the bank.
struct PaymentLine {
  core::PaymentId id{0};
  billing::PaymentMethod method = billing::PaymentMethod::cash;
  core::LocalDate receivedOn;
  std::int64_t cents = 0;
  std::optional<core::DepositId> deposit;
  bool seenAtBank = false;  // linked to a bank line, or in a deposit matched to one
};

// One bank line, without its (personal) details.
struct BankLineSummary {
  core::BankLineId id{0};
  core::LocalDate bookedOn;
  std::int64_t cents = 0;  // credits positive, debits negative
  LineStatus status = LineStatus::unmatched;
  std::optional<std::string> ignoreKind;  // bank_fee, returned_cheque, other
};

// An invoice or credit note as its content says, split by tax treatment.
// Amounts are positive on both kinds; `creditNote` gives the sign.
struct TaxDocument {
  std::string number;
  core::ParticipantId participant{0};
  bool creditNote = false;
  core::Instant issuedAt;
  std::int64_t exemptCents = 0;   // lines exempt or out of scope
  std::int64_t taxableCents = 0;  // lines taxed (GST and QST)
  std::int64_t gstCents = 0;
  std::int64_t qstCents = 0;
  std::int64_t totalCents = 0;
};

// ---- Periods ----------------------------------------------------------------

struct ReportRange {
  core::LocalDate from, to;  // inclusive
};

// The range asked for: `from` and `to` default to the first and last day of
// `today`'s month (each alone defaults to that month's end). Throws
// core::Error(unprocessable) when from > to or when the range spans three
// years or more (to >= from + 3 years).
ReportRange reportRange(std::optional<core::LocalDate> from, std::optional<core::LocalDate> to, core::LocalDate today);

// The months of a range, "YYYY-MM", in order.
std::vector<std::string> monthsOf(const ReportRange& range);

// ---- Aging --------------------------------------------------------------------

enum class AgingBucket { current, d1_30, d31_60, d61_90, d91_plus };
inline constexpr std::size_t kAgingBuckets = 5;

// Days past due as of `asOf`: 0 or less (not yet due, or due that day) is
// current; then 1–30, 31–60, 61–90 and 91 days or more. Grace plays no part.
AgingBucket agingBucketOf(core::LocalDate dueOn, core::LocalDate asOf);

struct AgingRow {
  core::ParticipantId participant{0};
  std::string code;
  std::array<std::int64_t, kAgingBuckets> bucketCents{};
  std::int64_t balanceCents = 0;
};

struct AgingReport {
  std::vector<AgingRow> rows;  // accounts with a balance ≠ 0, in participant order
  AgingRow totals;
};

// Each live installment's unpaid part goes to the bucket of its due date;
// what of the balance no installment holds (no plan, or a credit) goes to
// current. So each row's buckets add up to its balance.
AgingReport agingReport(const std::vector<AccountBalance>& accounts, core::LocalDate asOf);

// ---- Outstanding ----------------------------------------------------------------

// none: no live installment; on_track: none overdue; overdue: one at least
// is overdue (after its grace); beyond_plan: every installment is paid and a
// balance remains (an increase after the plan).
enum class PlanStanding { none, on_track, overdue, beyond_plan };
std::string_view toString(PlanStanding standing);

struct OutstandingRow {
  core::ParticipantId participant{0};
  std::string code;
  std::string name;
  std::int64_t balanceCents = 0;
  PlanStanding standing = PlanStanding::none;
  std::optional<core::LocalDate> nextDueOn;  // the earliest live installment not fully paid
  std::int64_t nextDueCents = 0;             // what is unpaid of it
  std::int64_t overdueCents = 0;             // unpaid on overdue installments
};

struct OutstandingReport {
  std::vector<OutstandingRow> rows;  // balances > 0
  std::int64_t balanceCents = 0, nextDueCents = 0, overdueCents = 0;
};

OutstandingReport outstandingReport(const std::vector<AccountBalance>& accounts, core::LocalDate asOf, int graceDays);

// ---- Deposits ------------------------------------------------------------------

struct DepositSlipRow {
  core::LocalDate date;
  billing::PaymentMethod method = billing::PaymentMethod::cash;
  std::optional<core::DepositId> deposit;
  int payments = 0;
  std::int64_t totalCents = 0;
  std::int64_t feeCents = 0;
  std::int64_t netCents() const { return totalCents - feeCents; }
};

struct DepositReport {
  std::vector<DepositSlipRow> rows;  // by date, method, then deposit (undeposited first)
  int payments = 0;
  std::int64_t totalCents = 0, feeCents = 0;
};

// A deposit is one row on its day (the slip, with its fee); payments in no
// deposit are grouped by the day they were received and their method.
// REQUIRES: `undeposited` holds payments in no deposit.
DepositReport depositReport(const std::vector<PaymentLine>& undeposited, const std::vector<Deposit>& deposits);

// ---- Revenue -------------------------------------------------------------------

struct RevenueRow {
  std::string month;  // "YYYY-MM"
  std::int64_t invoicedCents = 0, creditedCents = 0, collectedCents = 0, refundedCents = 0, returnedCents = 0;
};

struct RevenueReport {
  std::vector<RevenueRow> rows;  // every month of the range
  RevenueRow totals;
};

// Each entry counts in the month of its creation in `zone`. REQUIRES: every
// entry falls in `range` (in `zone`).
RevenueReport revenueReport(const std::vector<LedgerLine>& entries, const ReportRange& range,
                            const date::time_zone& zone);

// ---- Taxes ---------------------------------------------------------------------

struct TaxRow {
  std::string month;
  std::int64_t exemptCents = 0, taxableCents = 0;
  std::int64_t gstInvoicedCents = 0, qstInvoicedCents = 0;
  std::int64_t gstCollectedCents = 0, qstCollectedCents = 0;
};

struct TaxReport {
  std::vector<TaxRow> rows;  // every month of the range
  TaxRow totals;
};

// Invoiced: the documents issued in the range, invoices less credit notes.
// Collected: each payment (less each refund and returned payment) entered in
// the range carries the taxes of its account in proportion: cents × the
// account's net GST (QST) / its net invoiced total, over every document of
// `accountDocuments` (issued up to the end of the range), rounded half away
// from zero per entry; nothing when that total is not positive.
TaxReport taxReport(const std::vector<TaxDocument>& documentsInRange, const std::vector<TaxDocument>& accountDocuments,
                    const std::vector<LedgerLine>& entries, const ReportRange& range, const date::time_zone& zone);

// ---- Reconciliation ---------------------------------------------------------------

struct ReconciliationRow {
  std::string section;  // bank_lines, payments_not_at_bank
  std::string status;   // a line status; a payment method
  int count = 0;
  std::int64_t amountCents = 0;
};

struct ReconciliationReport {
  std::vector<ReconciliationRow> rows;  // the four line statuses, then each method with payments unseen
  int bankLines = 0, paymentsNotAtBank = 0;
  std::int64_t bankLinesCents = 0, paymentsNotAtBankCents = 0;
};

// REQUIRES: `payments` holds the payments of the range; those seen at the
// bank are left out here.
ReconciliationReport reconciliationReport(const std::vector<BankLineSummary>& lines,
                                          const std::vector<PaymentLine>& payments);

}  // namespace parcours::finance
