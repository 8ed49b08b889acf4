#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "billing/installments.h"

using namespace parcours;
using namespace parcours::billing;
using parcours::testing::day;

TEST_CASE("500.00 in three is 166.68, 166.66, 166.66", "[installments]") {
  const auto plan = planInstallments(50000, day(2027, 1, 31), 3, Frequency::monthly, 1);
  REQUIRE(plan.size() == 3);
  CHECK(plan[0].amountCents == 16668);
  CHECK(plan[1].amountCents == 16666);
  CHECK(plan[2].amountCents == 16666);
  CHECK(plan[0].seq == 1);
  CHECK(plan[2].seq == 3);
}

TEST_CASE("monthly due dates keep the day of month, clamped to the month's end", "[installments]") {
  const auto dates = dueDates(day(2027, 1, 31), 4, Frequency::monthly);
  CHECK(dates == std::vector<core::LocalDate>{day(2027, 1, 31), day(2027, 2, 28), day(2027, 3, 31), day(2027, 4, 30)});
  const auto leap = dueDates(day(2028, 1, 31), 2, Frequency::monthly);
  CHECK(leap[1] == day(2028, 2, 29));
  const auto yearEnd = dueDates(day(2027, 11, 30), 3, Frequency::monthly);
  CHECK(yearEnd == std::vector<core::LocalDate>{day(2027, 11, 30), day(2027, 12, 30), day(2028, 1, 30)});
}

TEST_CASE("weekly and biweekly plans step by 7 and 14 days", "[installments]") {
  CHECK(dueDates(day(2027, 3, 1), 3, Frequency::weekly) ==
        std::vector<core::LocalDate>{day(2027, 3, 1), day(2027, 3, 8), day(2027, 3, 15)});
  CHECK(dueDates(day(2027, 3, 1), 2, Frequency::biweekly)[1] == day(2027, 3, 15));
}

TEST_CASE("a new plan closes a partly paid installment and replaces the unpaid ones", "[installments]") {
  auto before = planInstallments(50000, day(2027, 1, 31), 3, Frequency::monthly, 1);
  before[0].paidCents = 16668;  // paid
  before[1].paidCents = 3332;   // partial
  const auto after = replan(before, 30000, day(2027, 4, 15), 2, Frequency::biweekly);
  REQUIRE(after.size() == 5);
  CHECK(after[0].amountCents == 16668);
  CHECK_FALSE(after[0].replaced);
  CHECK(after[1].amountCents == 3332);  // closed at what was paid
  CHECK_FALSE(after[1].replaced);
  CHECK(after[2].replaced);
  CHECK(after[3].seq == 4);
  CHECK(after[3].amountCents == 15000);
  CHECK(after[4].dueOn == day(2027, 4, 29));
}

TEST_CASE("installment states follow payments, due dates and the grace period", "[installments]") {
  Installment i{1, day(2027, 3, 1), 10000, 0, false};
  CHECK(statusOf(i, day(2027, 3, 8), 7) == InstallmentStatus::open);
  CHECK(statusOf(i, day(2027, 3, 9), 7) == InstallmentStatus::overdue);
  i.paidCents = 5000;
  CHECK(statusOf(i, day(2027, 3, 2), 7) == InstallmentStatus::partial);
  CHECK(statusOf(i, day(2027, 4, 1), 7) == InstallmentStatus::overdue);
  i.paidCents = 10000;
  CHECK(statusOf(i, day(2027, 4, 1), 7) == InstallmentStatus::paid);
  i.replaced = true;
  CHECK(statusOf(i, day(2027, 4, 1), 7) == InstallmentStatus::replaced);
}
