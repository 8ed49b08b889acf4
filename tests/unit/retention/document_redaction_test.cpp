#include "retention/document_redaction.h"

#include <catch2/catch.hpp>

#include "core/error.h"
#include "invoices/document_contents.h"

using namespace parcours;
using namespace parcours::invoices;
using parcours::retention::redactedDocumentContent;

namespace {

const std::string kParty = R"({"code":"P-7K3Q9X","given_name":"Jean-François","family_name":"Tremblay",)"
                           R"("address":"12, rue des Érables\nLongueuil (Québec)  J4H 1A1","language":"fr"})";
const std::string kCreditNote =
    R"({"participant":)" + kParty +
    R"(,"lines":[{"description":"fee_reduction","amount_cents":20000,"tax_code":"gst_qst","gst_cents":1000,"qst_cents":1995}],)"
    R"("subtotal_cents":20000,"gst_cents":1000,"qst_cents":1995,"total_cents":22995,"currency":"CAD",)"
    R"("previous_fee_cents":50000,"new_fee_cents":30000,"reason":"Perte d'emploi chez Bombardier"})";
const std::string kReceipt =
    R"({"participant":)" + kParty +
    R"(,"amount_cents":16668,"currency":"CAD","method":"cheque","received_on":"2027-03-16","reference":"chèque 118 Tremblay"})";
const std::string kRefundReceipt =
    R"({"participant":)" + kParty +
    R"(,"amount_cents":5000,"currency":"CAD","payment_receipt_number":"R-2027-00012","reason":"Paiement en double"})";
const std::string kAttestation =
    R"({"participant":)" + kParty +
    R"(,"referred_on":"2027-01-05","completed_on":"2027-03-01","sessions_attended":6,"awareness_day_on":null})";

// Nothing of the person is left anywhere in the bytes.
void requireNoPerson(const std::string& json) {
  for (const char* personal :
       {"Jean", "Tremblay", "Érables", "Longueuil", "J4H", "Bombardier", "chèque 118", "Paiement en double"}) {
    INFO(personal);
    CHECK(json.find(personal) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("a credit note keeps its lines, taxes and fees, the name becomes the code", "[redaction]") {
  const auto json = redactedDocumentContent(DocumentKind::credit_note, kCreditNote, "CAD", "P-7K3Q9X");
  requireNoPerson(json);
  const auto before = invoiceContentFromJson(kCreditNote, "CAD");
  const auto after = invoiceContentFromJson(json, "CAD");
  CHECK(after.participant.code == "P-7K3Q9X");
  CHECK(after.participant.name() == "P-7K3Q9X");
  CHECK_FALSE(after.participant.address.has_value());
  CHECK(after.participant.language == "fr");
  REQUIRE(after.lines.size() == 1);
  CHECK(after.lines[0].amount == before.lines[0].amount);
  CHECK(after.lines[0].gst == before.lines[0].gst);
  CHECK(after.lines[0].qst == before.lines[0].qst);
  CHECK(after.total == before.total);
  REQUIRE(after.feeChange.has_value());
  CHECK(after.feeChange->previousFee == before.feeChange->previousFee);
  CHECK(after.feeChange->newFee == before.feeChange->newFee);
  CHECK(after.feeChange->reason.empty());
}

TEST_CASE("a receipt keeps amount, method and date, its reference goes", "[redaction]") {
  const auto json = redactedDocumentContent(DocumentKind::receipt, kReceipt, "CAD", "P-7K3Q9X");
  requireNoPerson(json);
  const auto after = receiptContentFromJson(json, "CAD");
  CHECK(after.amount == core::Money(16668, "CAD"));
  CHECK(after.method == "cheque");
  CHECK(core::formatDate(after.receivedOn) == "2027-03-16");
  CHECK_FALSE(after.reference.has_value());
}

TEST_CASE("a refund receipt keeps the receipt it refunds, its reason goes", "[redaction]") {
  const auto json = redactedDocumentContent(DocumentKind::refund_receipt, kRefundReceipt, "CAD", "P-7K3Q9X");
  requireNoPerson(json);
  const auto after = refundReceiptContentFromJson(json, "CAD");
  CHECK(after.amount == core::Money(5000, "CAD"));
  CHECK(after.paymentReceiptNumber == "R-2027-00012");
  CHECK_FALSE(after.reason.has_value());
}

TEST_CASE("an attestation keeps its dates and sessions", "[redaction]") {
  const auto json = redactedDocumentContent(DocumentKind::attestation, kAttestation, "CAD", "P-7K3Q9X");
  requireNoPerson(json);
  const auto after = attestationContentFromJson(json);
  CHECK(after.participant.name() == "P-7K3Q9X");
  CHECK(core::formatDate(after.completedOn) == "2027-03-01");
  CHECK(after.sessionsAttended == 6);
}

TEST_CASE("redacting twice gives the same bytes (a resumed run is harmless)", "[redaction]") {
  const auto once = redactedDocumentContent(DocumentKind::receipt, kReceipt, "CAD", "P-7K3Q9X");
  CHECK(redactedDocumentContent(DocumentKind::receipt, once, "CAD", "P-7K3Q9X") == once);
}

TEST_CASE("content that cannot be read is an internal error, not a silent keep", "[redaction]") {
  CHECK_THROWS_AS(redactedDocumentContent(DocumentKind::receipt, "{}", "CAD", "P-1"), core::Error);
}
