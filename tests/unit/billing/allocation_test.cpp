#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "billing/allocation.h"

using namespace parcours;
using namespace parcours::billing;
using parcours::testing::day;

TEST_CASE("a payment settles installments oldest first", "[allocation]") {
  const auto plan = planInstallments(50000, day(2027, 1, 31), 3, Frequency::monthly, 1);
  const auto result = allocatePayment(plan, 20000);
  REQUIRE(result.allocations.size() == 2);
  CHECK(result.allocations[0].seq == 1);
  CHECK(result.allocations[0].amountCents == 16668);
  CHECK(result.allocations[1].seq == 2);
  CHECK(result.allocations[1].amountCents == 3332);
  CHECK(result.unallocatedCents == 0);
}

TEST_CASE("paid and replaced installments are skipped; the rest is credit", "[allocation]") {
  std::vector<Installment> plan{{1, day(2027, 1, 1), 10000, 10000, false},
                                {2, day(2027, 2, 1), 10000, 0, true},
                                {3, day(2027, 3, 1), 10000, 2500, false}};
  const auto result = allocatePayment(plan, 20000);
  REQUIRE(result.allocations.size() == 1);
  CHECK(result.allocations[0].seq == 3);
  CHECK(result.allocations[0].amountCents == 7500);
  CHECK(result.unallocatedCents == 12500);
}

TEST_CASE("without a plan a payment is all credit", "[allocation]") {
  CHECK(allocatePayment({}, 500).unallocatedCents == 500);
}

TEST_CASE("refunds are bounded by what was paid and not yet refunded", "[allocation]") {
  CHECK(refundableCents(20000, 0) == 20000);
  CHECK(refundableCents(20000, 5000) == 15000);
  CHECK(refundableCents(20000, 20000) == 0);
  CHECK(refundableCents(20000, 25000) == 0);
}
