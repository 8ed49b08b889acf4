#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "billing/schedule_rules.h"

using namespace parcours;
using namespace parcours::billing;
using parcours::testing::day;

namespace {

AccountTotals totals(std::int64_t charges, std::int64_t payments, std::int64_t refunds = 0) {
  AccountTotals t;
  t.chargesCents = charges;
  t.paymentsCents = payments;
  t.refundsCents = refunds;
  return t;
}

bool same(const std::vector<Allocation>& a, const std::vector<Allocation>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].seq != b[i].seq || a[i].amountCents != b[i].amountCents) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("what the installments still ask leaves out replaced and paid ones", "[schedule]") {
  const std::vector<Installment> plan{{1, day(2027, 1, 1), 10000, 10000, false},
                                      {2, day(2027, 2, 1), 10000, 0, true},
                                      {3, day(2027, 3, 1), 10000, 2500, false}};
  CHECK(owedOnInstallments(plan) == 7500);
  CHECK(owedOnInstallments({}) == 0);
}

TEST_CASE("a refund reopens what its payment settled, newest installment first", "[schedule]") {
  // A payment of 150.00 settled installment 1 (100.00) and half of 2.
  const std::vector<Installment> plan{{1, day(2027, 1, 1), 10000, 10000, false},
                                      {2, day(2027, 2, 1), 10000, 5000, false}};
  const auto reopened = planReopen(plan, {{2, 5000}, {1, 10000}}, totals(20000, 15000), 6000);
  CHECK(same(reopened, {{2, 5000}, {1, 1000}}));
}

TEST_CASE("a refund taken from a credit balance reopens nothing", "[schedule]") {
  // Everything is paid and 50.00 more sits as credit; that credit is refunded.
  const std::vector<Installment> plan{{1, day(2027, 1, 1), 10000, 10000, false},
                                      {2, day(2027, 2, 1), 10000, 10000, false}};
  CHECK(planReopen(plan, {}, totals(20000, 25000), 5000).empty());
}

TEST_CASE("a refund beyond its payment's installments reopens others, newest first", "[schedule]") {
  // The payment holds only 30.00 on installment 1; 50.00 must be reopened
  // so that paid installments never exceed payments less refunds.
  const std::vector<Installment> plan{{1, day(2027, 1, 1), 10000, 10000, false},
                                      {2, day(2027, 2, 1), 10000, 10000, false},
                                      {3, day(2027, 3, 1), 10000, 0, true}};
  const auto reopened = planReopen(plan, {{1, 3000}}, totals(20000, 20000), 5000);
  CHECK(same(reopened, {{1, 3000}, {2, 2000}}));
}

TEST_CASE("a refund never reopens more than it returns, nor what was already reopened", "[schedule]") {
  const std::vector<Installment> plan{{1, day(2027, 1, 1), 10000, 4000, false}};
  // The payment's allocation is larger than what the installment still holds.
  const auto reopened = planReopen(plan, {{1, 10000}}, totals(10000, 4000), 4000);
  CHECK(same(reopened, {{1, 4000}}));
  CHECK(planReopen(plan, {{1, -4000}}, totals(10000, 4000), 1000).size() == 1);  // others still taken
}

TEST_CASE("the schedule is trimmed to the balance from its last installment", "[schedule]") {
  const std::vector<Installment> plan{{1, day(2027, 1, 1), 10000, 2000, false},
                                      {2, day(2027, 2, 1), 10000, 0, false},
                                      {3, day(2027, 3, 1), 10000, 0, true}};
  CHECK(planTrim(plan, 18000).empty());
  CHECK(same(planTrim(plan, 15000), {{2, 3000}}));
  CHECK(same(planTrim(plan, 5000), {{2, 10000}, {1, 3000}}));
  CHECK(same(planTrim(plan, -500), {{2, 10000}, {1, 8000}}));  // in credit: nothing is owed
}
