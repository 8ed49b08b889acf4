#include <catch2/catch.hpp>

#include "billing/fees.h"

using namespace parcours;
using namespace parcours::billing;
using core::Money;

TEST_CASE("a lower fee is a credit note of the difference with the taxes of each fee", "[fees]") {
  const auto change = planFeeChange(Money(50000, "CAD"), Money(30000, "CAD"), TaxCode::gst_qst);
  CHECK(change.reduction);
  CHECK(change.difference == Money(20000, "CAD"));
  // 2500 − 1500 and 4988 − 2993 (each fee's QST rounded half-up on its own).
  CHECK(change.taxes.gstCents == 1000);
  CHECK(change.taxes.qstCents == 1995);
  CHECK(change.total == Money(22995, "CAD"));
}

TEST_CASE("a higher fee is an invoice; taxes drift by no cent over changes", "[fees]") {
  const auto up = planFeeChange(Money(30000, "CAD"), Money(50000, "CAD"), TaxCode::gst_qst);
  CHECK_FALSE(up.reduction);
  CHECK(up.total == Money(22995, "CAD"));
  // 100.01 → 100.02 → 100.01: the two documents cancel out exactly.
  const auto a = planFeeChange(Money(10001, "CAD"), Money(10002, "CAD"), TaxCode::gst_qst);
  const auto b = planFeeChange(Money(10002, "CAD"), Money(10001, "CAD"), TaxCode::gst_qst);
  CHECK(a.total == b.total);
  CHECK(b.reduction);
}

TEST_CASE("an exempt fee changes without taxes", "[fees]") {
  const auto change = planFeeChange(Money(50000, "CAD"), Money(45000, "CAD"), TaxCode::exempt);
  CHECK(change.taxes.total() == 0);
  CHECK(change.total == Money(5000, "CAD"));
}
