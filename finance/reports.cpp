#include "finance/reports.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "billing/period_store.h"
#include "core/error.h"

namespace parcours::finance {

using core::Error;
using core::ErrorCode;
using core::LocalDate;

namespace {

std::int64_t unpaidOf(const billing::Installment& i) {
  return i.replaced ? 0 : std::max<std::int64_t>(0, i.amountCents - i.paidCents);
}

// cents × part / whole, rounded half away from zero. REQUIRES: whole > 0;
// |cents × part| < 2^62 (amounts are capped far below: billing's options).
std::int64_t proportionalShare(std::int64_t cents, std::int64_t part, std::int64_t whole) {
  const std::int64_t product = cents * part;
  const std::int64_t magnitude = product < 0 ? -product : product;
  const std::int64_t rounded = magnitude / whole + (2 * (magnitude % whole) >= whole ? 1 : 0);
  return product < 0 ? -rounded : rounded;
}

std::string monthOfInstant(core::Instant at, const date::time_zone& zone) {
  return billing::monthOf(core::localDateOf(at, zone));
}

}  // namespace

ReportRange reportRange(std::optional<LocalDate> from, std::optional<LocalDate> to, LocalDate today) {
  const date::year_month_day ymd{today};
  const LocalDate first{ymd.year() / ymd.month() / date::day{1}};
  const LocalDate last{ymd.year() / ymd.month() / date::last};
  ReportRange range{from.value_or(first), to.value_or(last)};
  if (range.from > range.to) throw Error(ErrorCode::unprocessable, "must not be after to", "from");
  if (range.to >= LocalDate{date::year_month_day{range.from} + date::years{3}}) {
    throw Error(ErrorCode::unprocessable, "the range must be shorter than three years", "to");
  }
  return range;
}

std::vector<std::string> monthsOf(const ReportRange& range) {
  std::vector<std::string> months;
  const date::year_month_day end{range.to};
  for (date::year_month m = date::year_month_day{range.from}.year() / date::year_month_day{range.from}.month();
       m <= end.year() / end.month(); m += date::months{1}) {
    months.push_back(billing::monthOf(LocalDate{m / date::day{1}}));
  }
  return months;
}

AgingBucket agingBucketOf(LocalDate dueOn, LocalDate asOf) {
  const auto daysPastDue = (asOf - dueOn).count();
  if (daysPastDue <= 0) return AgingBucket::current;
  if (daysPastDue <= 30) return AgingBucket::d1_30;
  if (daysPastDue <= 60) return AgingBucket::d31_60;
  if (daysPastDue <= 90) return AgingBucket::d61_90;
  return AgingBucket::d91_plus;
}

AgingReport agingReport(const std::vector<AccountBalance>& accounts, LocalDate asOf) {
  AgingReport report;
  for (const auto& account : accounts) {
    const std::int64_t balance = account.totals.balance();
    if (balance == 0) continue;
    AgingRow row{account.participant, account.code, {}, balance};
    std::int64_t onInstallments = 0;
    for (const auto& i : account.installments) {
      const std::int64_t unpaid = unpaidOf(i);
      row.bucketCents[static_cast<std::size_t>(agingBucketOf(i.dueOn, asOf))] += unpaid;
      onInstallments += unpaid;
    }
    row.bucketCents[static_cast<std::size_t>(AgingBucket::current)] += balance - onInstallments;
    for (std::size_t b = 0; b < kAgingBuckets; ++b) report.totals.bucketCents[b] += row.bucketCents[b];
    report.totals.balanceCents += balance;
    report.rows.push_back(std::move(row));
  }
  std::sort(report.rows.begin(), report.rows.end(),
            [](const AgingRow& a, const AgingRow& b) { return a.participant < b.participant; });
  return report;
}

std::string_view toString(PlanStanding standing) {
  switch (standing) {
    case PlanStanding::none: return "none";
    case PlanStanding::on_track: return "on_track";
    case PlanStanding::overdue: return "overdue";
    case PlanStanding::beyond_plan: return "beyond_plan";
  }
  return "none";
}

OutstandingReport outstandingReport(const std::vector<AccountBalance>& accounts, LocalDate asOf, int graceDays) {
  OutstandingReport report;
  for (const auto& account : accounts) {
    const std::int64_t balance = account.totals.balance();
    if (balance <= 0) continue;
    OutstandingRow row;
    row.participant = account.participant;
    row.code = account.code;
    row.name = account.name;
    row.balanceCents = balance;
    bool live = false;
    for (const auto& i : account.installments) {
      if (i.replaced) continue;
      live = true;
      const std::int64_t unpaid = unpaidOf(i);
      if (unpaid == 0) continue;
      if (!row.nextDueOn || i.dueOn < *row.nextDueOn) {
        row.nextDueOn = i.dueOn;
        row.nextDueCents = unpaid;
      }
      if (billing::statusOf(i, asOf, graceDays) == billing::InstallmentStatus::overdue) row.overdueCents += unpaid;
    }
    if (!live) {
      row.standing = PlanStanding::none;
    } else if (row.overdueCents > 0) {
      row.standing = PlanStanding::overdue;
    } else {
      row.standing = row.nextDueOn ? PlanStanding::on_track : PlanStanding::beyond_plan;
    }
    report.balanceCents += row.balanceCents;
    report.nextDueCents += row.nextDueCents;
    report.overdueCents += row.overdueCents;
    report.rows.push_back(std::move(row));
  }
  std::sort(report.rows.begin(), report.rows.end(),
            [](const OutstandingRow& a, const OutstandingRow& b) { return a.participant < b.participant; });
  return report;
}

DepositReport depositReport(const std::vector<PaymentLine>& undeposited, const std::vector<Deposit>& deposits) {
  std::map<std::pair<LocalDate, billing::PaymentMethod>, DepositSlipRow> loose;
  for (const auto& p : undeposited) {
    auto& row = loose[{p.receivedOn, p.method}];
    row.date = p.receivedOn;
    row.method = p.method;
    row.payments += 1;
    row.totalCents += p.cents;
  }
  DepositReport report;
  for (auto& [key, row] : loose) report.rows.push_back(row);
  for (const auto& d : deposits) {
    report.rows.push_back(
        {d.depositedOn, d.method, d.id, static_cast<int>(d.payments.size()), d.totalCents, d.feeCents});
  }
  const auto order = [](const DepositSlipRow& r) {
    return std::make_tuple(r.date, static_cast<int>(r.method), r.deposit.has_value(),
                           r.deposit ? r.deposit->value() : 0);
  };
  std::sort(report.rows.begin(), report.rows.end(),
            [&](const DepositSlipRow& a, const DepositSlipRow& b) { return order(a) < order(b); });
  for (const auto& row : report.rows) {
    report.payments += row.payments;
    report.totalCents += row.totalCents;
    report.feeCents += row.feeCents;
  }
  return report;
}

RevenueReport revenueReport(const std::vector<LedgerLine>& entries, const ReportRange& range,
                            const date::time_zone& zone) {
  std::map<std::string, RevenueRow> byMonth;
  for (const auto& month : monthsOf(range)) byMonth[month].month = month;
  for (const auto& e : entries) {
    RevenueRow& row = byMonth[monthOfInstant(e.at, zone)];
    switch (e.kind) {
      case billing::EntryKind::charge: row.invoicedCents += e.cents; break;
      case billing::EntryKind::credit: row.creditedCents += e.cents; break;
      case billing::EntryKind::payment: row.collectedCents += e.cents; break;
      case billing::EntryKind::refund: row.refundedCents += e.cents; break;
      case billing::EntryKind::returned: row.returnedCents += e.cents; break;
    }
  }
  RevenueReport report;
  for (auto& [month, row] : byMonth) {
    row.month = month;
    report.totals.invoicedCents += row.invoicedCents;
    report.totals.creditedCents += row.creditedCents;
    report.totals.collectedCents += row.collectedCents;
    report.totals.refundedCents += row.refundedCents;
    report.totals.returnedCents += row.returnedCents;
    report.rows.push_back(row);
  }
  return report;
}

TaxReport taxReport(const std::vector<TaxDocument>& documentsInRange, const std::vector<TaxDocument>& accountDocuments,
                    const std::vector<LedgerLine>& entries, const ReportRange& range, const date::time_zone& zone) {
  std::map<std::string, TaxRow> byMonth;
  for (const auto& month : monthsOf(range)) byMonth[month].month = month;
  for (const auto& d : documentsInRange) {
    const std::int64_t sign = d.creditNote ? -1 : 1;
    TaxRow& row = byMonth[monthOfInstant(d.issuedAt, zone)];
    row.exemptCents += sign * d.exemptCents;
    row.taxableCents += sign * d.taxableCents;
    row.gstInvoicedCents += sign * d.gstCents;
    row.qstInvoicedCents += sign * d.qstCents;
  }
  struct Invoiced {
    std::int64_t gst = 0, qst = 0, total = 0;
  };
  std::map<core::ParticipantId, Invoiced> byAccount;
  for (const auto& d : accountDocuments) {
    const std::int64_t sign = d.creditNote ? -1 : 1;
    auto& account = byAccount[d.participant];
    account.gst += sign * d.gstCents;
    account.qst += sign * d.qstCents;
    account.total += sign * d.totalCents;
  }
  for (const auto& e : entries) {
    std::int64_t sign = 0;
    if (e.kind == billing::EntryKind::payment) sign = 1;
    if (e.kind == billing::EntryKind::refund || e.kind == billing::EntryKind::returned) sign = -1;
    const auto account = byAccount.find(e.participant);
    if (sign == 0 || account == byAccount.end() || account->second.total <= 0) continue;
    TaxRow& row = byMonth[monthOfInstant(e.at, zone)];
    row.gstCollectedCents += sign * proportionalShare(e.cents, account->second.gst, account->second.total);
    row.qstCollectedCents += sign * proportionalShare(e.cents, account->second.qst, account->second.total);
  }
  TaxReport report;
  for (auto& [month, row] : byMonth) {
    row.month = month;
    report.totals.exemptCents += row.exemptCents;
    report.totals.taxableCents += row.taxableCents;
    report.totals.gstInvoicedCents += row.gstInvoicedCents;
    report.totals.qstInvoicedCents += row.qstInvoicedCents;
    report.totals.gstCollectedCents += row.gstCollectedCents;
    report.totals.qstCollectedCents += row.qstCollectedCents;
    report.rows.push_back(row);
  }
  return report;
}

ReconciliationReport reconciliationReport(const std::vector<BankLineSummary>& lines,
                                          const std::vector<PaymentLine>& payments) {
  ReconciliationReport report;
  for (const auto status : {LineStatus::matched, LineStatus::proposed, LineStatus::unmatched, LineStatus::ignored}) {
    ReconciliationRow row{"bank_lines", std::string(toString(status))};
    for (const auto& l : lines) {
      if (l.status != status) continue;
      row.count += 1;
      row.amountCents += l.cents;
    }
    report.bankLines += row.count;
    report.bankLinesCents += row.amountCents;
    report.rows.push_back(std::move(row));
  }
  for (const auto method : billing::kPaymentMethods) {
    ReconciliationRow row{"payments_not_at_bank", std::string(billing::toString(method))};
    for (const auto& p : payments) {
      if (p.method != method || p.seenAtBank) continue;
      row.count += 1;
      row.amountCents += p.cents;
    }
    if (row.count == 0) continue;
    report.paymentsNotAtBank += row.count;
    report.paymentsNotAtBankCents += row.amountCents;
    report.rows.push_back(std::move(row));
  }
  return report;
}

}  // namespace parcours::finance
