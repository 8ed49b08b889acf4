#include "finance/reports.h"

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours;
using namespace parcours::finance;
using billing::EntryKind;

namespace {

core::LocalDate day(int y, unsigned m, unsigned d) {
  return core::LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

const core::LocalDate kAsOf = day(2026, 6, 30);

AccountBalance accountOwing(std::int64_t participant, std::int64_t charged,
                            std::vector<billing::Installment> installments) {
  AccountBalance a;
  a.participant = core::ParticipantId(participant);
  a.code = "P-" + std::to_string(participant);
  a.totals.chargesCents = charged;
  a.installments = std::move(installments);
  return a;
}

billing::Installment due(int seq, core::LocalDate on, std::int64_t amount, std::int64_t paid = 0) {
  return {seq, on, amount, paid, false};
}

core::Instant at(int y, unsigned m, unsigned d, int hour, int minute, const date::time_zone& zone) {
  return core::requireInstant(day(y, m, d), core::LocalTime{hour * 60 + minute}, zone);
}

}  // namespace

TEST_CASE("aging buckets count days past due at their boundaries", "[reports]") {
  const auto daysLate = [](int days) { return agingBucketOf(kAsOf - date::days{days}, kAsOf); };
  CHECK(agingBucketOf(kAsOf + date::days{5}, kAsOf) == AgingBucket::current);
  CHECK(daysLate(0) == AgingBucket::current);
  CHECK(daysLate(1) == AgingBucket::d1_30);
  CHECK(daysLate(30) == AgingBucket::d1_30);
  CHECK(daysLate(31) == AgingBucket::d31_60);
  CHECK(daysLate(60) == AgingBucket::d31_60);
  CHECK(daysLate(61) == AgingBucket::d61_90);
  CHECK(daysLate(90) == AgingBucket::d61_90);
  CHECK(daysLate(91) == AgingBucket::d91_plus);
  CHECK(daysLate(400) == AgingBucket::d91_plus);
}

TEST_CASE("aging puts each unpaid part in its bucket and the rest of the balance in current", "[reports]") {
  std::vector<AccountBalance> accounts;
  accounts.push_back(accountOwing(
      1, 100000,
      {due(1, kAsOf - date::days{91}, 10000, 10000), due(2, kAsOf - date::days{61}, 10000, 4000),
       due(3, kAsOf - date::days{31}, 10000), due(4, kAsOf - date::days{1}, 10000), due(5, kAsOf, 10000)}));
  accounts.back().totals.paymentsCents = 14000;  // balance 86 000: 36 000 on installments, 50 000 not
  accounts.push_back(accountOwing(2, 5000, {}));
  accounts.back().totals.paymentsCents = 7000;  // a credit of 2 000
  accounts.push_back(accountOwing(3, 5000, {}));
  accounts.back().totals.paymentsCents = 5000;  // settled: no row
  const auto report = agingReport(accounts, kAsOf);
  REQUIRE(report.rows.size() == 2);
  const auto& first = report.rows[0];
  CHECK(first.bucketCents == std::array<std::int64_t, 5>{10000 + 50000, 10000, 10000, 6000, 0});
  CHECK(first.balanceCents == 86000);
  CHECK(report.rows[1].bucketCents[0] == -2000);
  CHECK(report.totals.balanceCents == 84000);
  std::int64_t buckets = 0;
  for (const auto cents : report.totals.bucketCents) buckets += cents;
  CHECK(buckets == report.totals.balanceCents);
}

TEST_CASE("replaced installments are not aged", "[reports]") {
  auto account = accountOwing(1, 10000, {due(1, kAsOf - date::days{100}, 10000)});
  account.installments[0].replaced = true;
  const auto report = agingReport({account}, kAsOf);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].bucketCents[0] == 10000);
  CHECK(report.rows[0].bucketCents[4] == 0);
}

TEST_CASE("outstanding gives the plan standing and the next due date", "[reports]") {
  std::vector<AccountBalance> accounts{
      accountOwing(1, 10000, {}),
      accountOwing(2, 10000, {due(1, kAsOf - date::days{3}, 5000), due(2, kAsOf + date::days{27}, 5000)}),
      accountOwing(3, 10000, {due(1, kAsOf - date::days{8}, 5000, 1000), due(2, kAsOf + date::days{20}, 5000)}),
      accountOwing(4, 10000, {due(1, kAsOf - date::days{40}, 5000, 5000)}),
  };
  const auto report = outstandingReport(accounts, kAsOf, 7);
  REQUIRE(report.rows.size() == 4);
  CHECK(report.rows[0].standing == PlanStanding::none);
  CHECK_FALSE(report.rows[0].nextDueOn);
  CHECK(report.rows[1].standing == PlanStanding::on_track);  // 3 days late, within grace
  CHECK(report.rows[1].nextDueOn == kAsOf - date::days{3});
  CHECK(report.rows[2].standing == PlanStanding::overdue);
  CHECK(report.rows[2].overdueCents == 4000);
  CHECK(report.rows[2].nextDueCents == 4000);
  CHECK(report.rows[3].standing == PlanStanding::beyond_plan);
  CHECK(report.balanceCents == 40000);
}

TEST_CASE("report ranges default to this month and refuse backwards or long ones", "[reports]") {
  const auto range = reportRange(std::nullopt, std::nullopt, day(2026, 2, 10));
  CHECK(range.from == day(2026, 2, 1));
  CHECK(range.to == day(2026, 2, 28));
  CHECK_THROWS_AS(reportRange(day(2026, 3, 2), day(2026, 3, 1), day(2026, 3, 1)), core::Error);
  CHECK_NOTHROW(reportRange(day(2024, 1, 1), day(2026, 12, 31), day(2026, 3, 1)));
  CHECK_THROWS_AS(reportRange(day(2024, 1, 1), day(2027, 1, 1), day(2026, 3, 1)), core::Error);
  CHECK(monthsOf({day(2025, 11, 15), day(2026, 2, 1)}) ==
        std::vector<std::string>{"2025-11", "2025-12", "2026-01", "2026-02"});
}

TEST_CASE("revenue counts each entry in its month in the program's zone, across a time change", "[reports]") {
  const auto& zone = core::findZone("America/Toronto");
  // Daylight saving time ends on 1 November 2026 (02:00 → 01:00).
  const std::vector<LedgerLine> entries{
      {core::ParticipantId(1), EntryKind::charge, 50000, "F-2026-00001", at(2026, 10, 31, 23, 30, zone), std::nullopt},
      {core::ParticipantId(1), EntryKind::payment, 20000, "R-2026-00001", at(2026, 11, 1, 0, 30, zone),
       billing::PaymentMethod::cash},
      {core::ParticipantId(1), EntryKind::refund, 5000, "RR-2026-00001", at(2026, 11, 30, 23, 59, zone), std::nullopt},
      {core::ParticipantId(1), EntryKind::returned, 3000, "R-2026-00001", at(2026, 12, 1, 0, 0, zone), std::nullopt},
      {core::ParticipantId(1), EntryKind::credit, 1000, "NC-2026-00001", at(2026, 3, 8, 3, 0, zone), std::nullopt},
  };
  // 23:30 on 31 October is 03:30 UTC on 1 November: still October here.
  const auto report = revenueReport(entries, {day(2026, 3, 1), day(2026, 12, 31)}, zone);
  REQUIRE(report.rows.size() == 10);
  CHECK(report.rows[0].month == "2026-03");
  CHECK(report.rows[0].creditedCents == 1000);
  CHECK(report.rows[7].month == "2026-10");
  CHECK(report.rows[7].invoicedCents == 50000);
  CHECK(report.rows[8].collectedCents == 20000);
  CHECK(report.rows[8].refundedCents == 5000);
  CHECK(report.rows[9].returnedCents == 3000);
  CHECK(report.totals.invoicedCents == 50000);
  CHECK(report.totals.collectedCents == 20000);
}

TEST_CASE("taxes invoiced net credit notes; taxes collected follow payments in proportion", "[reports]") {
  const auto& zone = core::findZone("America/Toronto");
  TaxDocument invoice{"F-2026-00001", core::ParticipantId(1), false, at(2026, 5, 2, 10, 0, zone), 0, 50000, 2500, 4988,
                      57488};
  TaxDocument credit{
      "NC-2026-00001", core::ParticipantId(1), true, at(2026, 6, 2, 10, 0, zone), 0, 10000, 500, 998, 11498};
  TaxDocument exempt{"F-2026-00002", core::ParticipantId(2), false, at(2026, 6, 3, 10, 0, zone), 30000, 0, 0, 0, 30000};
  const std::vector<TaxDocument> all{invoice, credit, exempt};
  const std::vector<LedgerLine> entries{
      {core::ParticipantId(1), EntryKind::payment, 45990, "R-1", at(2026, 6, 10, 9, 0, zone), std::nullopt},
      {core::ParticipantId(1), EntryKind::refund, 4599, "RR-1", at(2026, 6, 11, 9, 0, zone), std::nullopt},
      {core::ParticipantId(2), EntryKind::payment, 30000, "R-2", at(2026, 6, 12, 9, 0, zone), std::nullopt},
  };
  const auto report = taxReport(all, all, entries, {day(2026, 5, 1), day(2026, 6, 30)}, zone);
  REQUIRE(report.rows.size() == 2);
  CHECK(report.rows[0].taxableCents == 50000);
  CHECK(report.rows[1].taxableCents == -10000);
  CHECK(report.rows[1].exemptCents == 30000);
  CHECK(report.totals.gstInvoicedCents == 2000);
  CHECK(report.totals.qstInvoicedCents == 3990);
  // Net invoiced 45 990 of which GST 2 000, QST 3 990: the full payment carries them all.
  CHECK(report.rows[1].gstCollectedCents == 2000 - 200);
  CHECK(report.rows[1].qstCollectedCents == 3990 - 399);
}

TEST_CASE("the deposit report gives one row per slip and per day and method otherwise", "[reports]") {
  std::vector<PaymentLine> loose{
      {core::PaymentId(1), billing::PaymentMethod::cash, day(2026, 6, 1), 1000, std::nullopt, false},
      {core::PaymentId(2), billing::PaymentMethod::cash, day(2026, 6, 1), 2000, std::nullopt, false},
      {core::PaymentId(3), billing::PaymentMethod::interac, day(2026, 6, 1), 4000, std::nullopt, true},
  };
  Deposit slip;
  slip.id = core::DepositId(7);
  slip.method = billing::PaymentMethod::credit;
  slip.depositedOn = day(2026, 6, 1);
  slip.totalCents = 9000;
  slip.feeCents = 250;
  slip.payments = {core::PaymentId(4), core::PaymentId(5)};
  const auto report = depositReport(loose, {slip});
  REQUIRE(report.rows.size() == 3);
  CHECK(report.rows[0].method == billing::PaymentMethod::cash);
  CHECK(report.rows[0].payments == 2);
  CHECK(report.rows[0].totalCents == 3000);
  CHECK(report.rows[1].deposit == slip.id);
  CHECK(report.rows[1].netCents() == 8750);
  CHECK(report.payments == 5);
  CHECK(report.totalCents == 16000);
  CHECK(report.feeCents == 250);
}

TEST_CASE("reconciliation counts lines by status and payments the bank has not seen", "[reports]") {
  const std::vector<BankLineSummary> lines{
      {core::BankLineId(1), day(2026, 6, 1), 5000, LineStatus::matched, std::nullopt},
      {core::BankLineId(2), day(2026, 6, 2), -150, LineStatus::ignored, "bank_fee"},
      {core::BankLineId(3), day(2026, 6, 3), 700, LineStatus::unmatched, std::nullopt},
  };
  const std::vector<PaymentLine> payments{
      {core::PaymentId(1), billing::PaymentMethod::cheque, day(2026, 6, 1), 5000, std::nullopt, true},
      {core::PaymentId(2), billing::PaymentMethod::cheque, day(2026, 6, 1), 3000, std::nullopt, false},
      {core::PaymentId(3), billing::PaymentMethod::cash, day(2026, 6, 1), 2000, core::DepositId(1), false},
  };
  const auto report = reconciliationReport(lines, payments);
  REQUIRE(report.rows.size() == 6);
  CHECK(report.rows[0].status == "matched");
  CHECK(report.rows[3].amountCents == -150);
  CHECK(report.bankLines == 3);
  CHECK(report.bankLinesCents == 5550);
  CHECK(report.paymentsNotAtBank == 2);
  CHECK(report.paymentsNotAtBankCents == 5000);
  CHECK(report.rows[4].status == "cash");
  CHECK(report.rows[5].status == "cheque");
}
