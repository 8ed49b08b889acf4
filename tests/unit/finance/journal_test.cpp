#include "finance/journal.h"

#include <catch2/catch.hpp>
#include <random>

using namespace parcours;
using namespace parcours::finance;
using billing::EntryKind;
using billing::PaymentMethod;

namespace {

core::LocalDate day(unsigned d) {
  return core::LocalDate{date::year{2026} / date::June / date::day{d}};
}

core::Instant noon(unsigned d, const date::time_zone& zone) {
  return core::requireInstant(day(d), core::LocalTime{12 * 60}, zone);
}

std::int64_t sumOn(const JournalReport& report, JournalAccount account, bool debit) {
  std::int64_t sum = 0;
  for (const auto& line : report.rows) {
    if (line.account == account) sum += debit ? line.debitCents : line.creditCents;
  }
  return sum;
}

}  // namespace

TEST_CASE("each event of the journal balances, taxes split from the fee", "[journal]") {
  const auto& zone = core::findZone("America/Toronto");
  const std::map<std::string, TaxDocument> taxes{
      {"F-2026-00001", {"F-2026-00001", core::ParticipantId(1), false, noon(1, zone), 0, 50000, 2500, 4988, 57488}}};
  const std::vector<LedgerLine> entries{
      {core::ParticipantId(1), EntryKind::charge, 57488, "F-2026-00001", noon(1, zone), std::nullopt},
      {core::ParticipantId(1), EntryKind::payment, 20000, "R-2026-00001", noon(2, zone), PaymentMethod::interac},
      {core::ParticipantId(1), EntryKind::payment, 10000, "R-2026-00002", noon(2, zone), PaymentMethod::cheque},
      {core::ParticipantId(1), EntryKind::refund, 1000, "RR-2026-00001", noon(3, zone), std::nullopt},
      {core::ParticipantId(1), EntryKind::returned, 10000, "R-2026-00002", noon(9, zone), std::nullopt},
      {core::ParticipantId(1), EntryKind::credit, 5000, "NC-2026-00001", noon(4, zone), std::nullopt},
  };
  Deposit deposit;
  deposit.id = core::DepositId(3);
  deposit.method = PaymentMethod::cheque;
  deposit.depositedOn = day(5);
  deposit.totalCents = 10000;
  deposit.feeCents = 0;
  const std::vector<BankLineSummary> fees{{core::BankLineId(9), day(6), -250, LineStatus::ignored, "bank_fee"}};
  const auto report = journalReport(entries, taxes, {deposit}, fees, zone);
  CHECK(report.debitCents == report.creditCents);
  CHECK(sumOn(report, JournalAccount::program_fees, false) == 50000);
  CHECK(sumOn(report, JournalAccount::gst_payable, false) == 2500);
  CHECK(sumOn(report, JournalAccount::qst_payable, false) == 4988);
  CHECK(sumOn(report, JournalAccount::program_fees, true) == 5000);  // credit note without its document
  CHECK(sumOn(report, JournalAccount::undeposited_funds, true) == 10000);
  CHECK(sumOn(report, JournalAccount::undeposited_funds, false) == 10000);
  CHECK(sumOn(report, JournalAccount::bank_fees, true) == 250);
  // The receivable moved by charges − credits − payments + refunds + returned.
  CHECK(report.receivableNetCents == 57488 - 5000 - 30000 + 1000 + 10000);
  // In date order: the returned cheque (9 June) last.
  CHECK(report.rows.back().date == day(9));
  CHECK(report.rows.front().account == JournalAccount::accounts_receivable);
}

TEST_CASE("a random journal always balances and its receivable is the ledger's balance", "[journal]") {
  const auto& zone = core::findZone("America/Toronto");
  std::mt19937 random(20261202);
  for (int round = 0; round < 50; ++round) {
    std::vector<LedgerLine> entries;
    std::map<std::string, TaxDocument> taxes;
    billing::AccountTotals totals;
    for (int i = 0; i < 40; ++i) {
      const auto kind = static_cast<EntryKind>(random() % 5);
      const std::int64_t cents = 1 + static_cast<std::int64_t>(random() % 100000);
      const std::string number = "D-" + std::to_string(i);
      if ((kind == EntryKind::charge || kind == EntryKind::credit) && random() % 2 == 0) {
        const std::int64_t gst = cents / 20, qst = cents / 10;
        taxes[number] = {
            number, core::ParticipantId(1), kind == EntryKind::credit, noon(1, zone), 0, cents - gst - qst, gst, qst,
            cents};
      }
      const auto method = static_cast<PaymentMethod>(random() % 6);
      entries.push_back({core::ParticipantId(1), kind, cents, number, noon(1 + random() % 28, zone), method});
      totals.add(kind, cents);
    }
    std::vector<Deposit> deposits(3);
    for (auto& d : deposits) {
      d.depositedOn = day(1 + random() % 28);
      d.totalCents = 1000 + static_cast<std::int64_t>(random() % 50000);
      d.feeCents = static_cast<std::int64_t>(random() % 500);
    }
    const auto report = journalReport(entries, taxes, deposits, {}, zone);
    REQUIRE(report.debitCents == report.creditCents);
    REQUIRE(report.receivableNetCents == totals.balance());
    for (std::size_t i = 1; i < report.rows.size(); ++i) REQUIRE(report.rows[i - 1].date <= report.rows[i].date);
  }
}
