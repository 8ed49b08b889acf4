#include <catch2/catch.hpp>

#include "invoices/document_numbers.h"

using namespace parcours::invoices;

TEST_CASE("document numbers have their prefix, year and five digits", "[numbers]") {
  CHECK(formatNumber(DocumentKind::invoice, 2027, 1) == "F-2027-00001");
  CHECK(formatNumber(DocumentKind::credit_note, 2027, 42) == "NC-2027-00042");
  CHECK(formatNumber(DocumentKind::receipt, 2027, 1000) == "R-2027-01000");
  CHECK(formatNumber(DocumentKind::refund_receipt, 2028, 99999) == "RR-2028-99999");
  CHECK(formatNumber(DocumentKind::attestation, 2027, 7) == "A-2027-00007");
}

TEST_CASE("document kinds read and write their API names", "[numbers]") {
  CHECK(documentKindFromString("refund_receipt") == DocumentKind::refund_receipt);
  CHECK_FALSE(documentKindFromString("bill"));
}
