#include <catch2/catch.hpp>

#include "billing/tax.h"

using namespace parcours::billing;

TEST_CASE("exempt and out-of-scope lines carry no tax", "[tax]") {
  CHECK(taxesOf(50000, TaxCode::exempt).total() == 0);
  CHECK(taxesOf(50000, TaxCode::out_of_scope).total() == 0);
}

TEST_CASE("GST and QST are computed on the line and rounded half-up separately", "[tax]") {
  const LineTaxes fee = taxesOf(50000, TaxCode::gst_qst);
  CHECK(fee.gstCents == 2500);  // 5 % of 500.00
  CHECK(fee.qstCents == 4988);  // 9.975 % of 500.00 = 49.875 → 49.88
  // 0.10 $: GST 0.005 → 0.01 (half-up), QST 0.009975 → 0.01
  CHECK(taxesOf(10, TaxCode::gst_qst).gstCents == 1);
  CHECK(taxesOf(10, TaxCode::gst_qst).qstCents == 1);
  // 0.09 $: GST 0.0045 → 0.00, QST 0.0089775 → 0.01
  CHECK(taxesOf(9, TaxCode::gst_qst).gstCents == 0);
  CHECK(taxesOf(9, TaxCode::gst_qst).qstCents == 1);
  // 333.33 $: QST 33.2496675 → 33.25; rounding each tax alone, not their sum
  CHECK(taxesOf(33333, TaxCode::gst_qst).gstCents == 1667);
  CHECK(taxesOf(33333, TaxCode::gst_qst).qstCents == 3325);
}

TEST_CASE("a credit line mirrors its invoice line exactly", "[tax]") {
  for (const std::int64_t cents : {1, 9, 10, 4999, 33333, 50000}) {
    CHECK(taxesOf(-cents, TaxCode::gst_qst).gstCents == -taxesOf(cents, TaxCode::gst_qst).gstCents);
    CHECK(taxesOf(-cents, TaxCode::gst_qst).qstCents == -taxesOf(cents, TaxCode::gst_qst).qstCents);
  }
}

TEST_CASE("tax codes read and write their API names", "[tax]") {
  CHECK(taxCodeFromString("gst_qst") == TaxCode::gst_qst);
  CHECK(toString(TaxCode::out_of_scope) == "out_of_scope");
  CHECK_FALSE(taxCodeFromString("GST"));
}
