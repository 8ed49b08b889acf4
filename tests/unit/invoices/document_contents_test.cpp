#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "core/error.h"
#include "invoices/document_contents.h"

using namespace parcours;
using namespace parcours::invoices;
using core::Money;
using parcours::testing::day;

namespace {

// Contents exactly as billing and completion have written them since the
// first release (key order, escaping, nulls): stored documents hold these.
const std::string kParty = R"({"code":"P-7K3Q9X","given_name":"Jean-François","family_name":"Tremblay",)"
                           R"("address":"12, rue des Érables\nLongueuil (Québec)  J4H 1A1","language":"fr"})";
const std::string kInvoice =
    R"({"participant":)" + kParty +
    R"(,"lines":[{"description":"program_fee","amount_cents":50000,"tax_code":"gst_qst","gst_cents":2500,"qst_cents":4988}],)"
    R"("subtotal_cents":50000,"gst_cents":2500,"qst_cents":4988,"total_cents":57488,"currency":"CAD"})";
const std::string kCreditNote =
    R"({"participant":)" + kParty +
    R"(,"lines":[{"description":"fee_reduction","amount_cents":20000,"tax_code":"gst_qst","gst_cents":1000,"qst_cents":1995}],)"
    R"("subtotal_cents":20000,"gst_cents":1000,"qst_cents":1995,"total_cents":22995,"currency":"CAD",)"
    R"("previous_fee_cents":50000,"new_fee_cents":30000,"reason":"Capacité \"de\" payer"})";
const std::string kReceipt =
    R"({"participant":{"code":"P-1","given_name":"Ann","family_name":"Lee","address":null,"language":"en"},)"
    R"("amount_cents":16668,"currency":"CAD","method":"cheque","received_on":"2027-03-16","reference":null})";
const std::string kRefundReceipt =
    R"({"participant":)" + kParty +
    R"(,"amount_cents":5000,"currency":"CAD","payment_receipt_number":"R-2027-00012","reason":"Paiement en double"})";
const std::string kAttestation =
    R"({"participant":)" + kParty +
    R"(,"referred_on":"2027-01-05","completed_on":"2027-03-01","sessions_attended":6,"awareness_day_on":null})";

Party party() {
  return {"P-7K3Q9X", "Jean-François", "Tremblay", "12, rue des Érables\nLongueuil (Québec)  J4H 1A1", "fr"};
}

}  // namespace

TEST_CASE("invoice and credit note contents read as stored and write back the same bytes", "[contents]") {
  const auto invoice = invoiceContentFromJson(kInvoice, "CAD");
  CHECK(invoice.participant.code == "P-7K3Q9X");
  CHECK(invoice.participant.name() == "Jean-François Tremblay");
  CHECK(invoice.participant.address == "12, rue des Érables\nLongueuil (Québec)  J4H 1A1");
  REQUIRE(invoice.lines.size() == 1);
  CHECK(invoice.lines[0].description == "program_fee");
  CHECK(invoice.lines[0].amount == Money(50000, "CAD"));
  CHECK(invoice.lines[0].taxCode == "gst_qst");
  CHECK(invoice.lines[0].qst == Money(4988, "CAD"));
  CHECK(invoice.total == Money(57488, "CAD"));
  CHECK_FALSE(invoice.feeChange.has_value());
  CHECK_FALSE(invoice.paymentReference.has_value());  // stored before references were printed
  CHECK(toJson(invoice) == kInvoice);

  const auto credit = invoiceContentFromJson(kCreditNote, "CAD");
  REQUIRE(credit.feeChange.has_value());
  CHECK(credit.feeChange->previousFee == Money(50000, "CAD"));
  CHECK(credit.feeChange->newFee == Money(30000, "CAD"));
  CHECK(credit.feeChange->reason == "Capacité \"de\" payer");
  CHECK(toJson(credit) == kCreditNote);
}

TEST_CASE("an invoice's payment reference is written last, and only when set", "[contents]") {
  auto invoice = invoiceContentFromJson(kInvoice, "CAD");
  invoice.paymentReference = "P-7K3Q9X";
  const std::string json = toJson(invoice);
  CHECK(json == kInvoice.substr(0, kInvoice.size() - 1) + ",\"payment_reference\":\"P-7K3Q9X\"}");
  CHECK(invoiceContentFromJson(json, "CAD").paymentReference == "P-7K3Q9X");
}

TEST_CASE("receipt, refund receipt and attestation contents read as stored and write back the same bytes",
          "[contents]") {
  const auto receipt = receiptContentFromJson(kReceipt, "CAD");
  CHECK(receipt.participant.name() == "Ann Lee");
  CHECK_FALSE(receipt.participant.address.has_value());
  CHECK(receipt.amount == Money(16668, "CAD"));
  CHECK(receipt.method == "cheque");
  CHECK(receipt.receivedOn == day(2027, 3, 16));
  CHECK_FALSE(receipt.reference.has_value());
  CHECK(toJson(receipt) == kReceipt);

  const auto refund = refundReceiptContentFromJson(kRefundReceipt, "CAD");
  CHECK(refund.amount == Money(5000, "CAD"));
  CHECK(refund.paymentReceiptNumber == "R-2027-00012");
  CHECK(refund.reason == "Paiement en double");
  CHECK(toJson(refund) == kRefundReceipt);

  const auto attestation = attestationContentFromJson(kAttestation);
  CHECK(attestation.referredOn == day(2027, 1, 5));
  CHECK(attestation.completedOn == day(2027, 3, 1));
  CHECK(attestation.sessionsAttended == 6);
  CHECK_FALSE(attestation.awarenessDayOn.has_value());
  CHECK(toJson(attestation) == kAttestation);
}

TEST_CASE("every kind of content survives a round trip", "[contents]") {
  const Money fee(30000, "CAD");
  InvoiceContent invoice{party(),
                         {{"fee_increase", fee, "exempt", Money(0, "CAD"), Money(0, "CAD")}},
                         fee,
                         Money(0, "CAD"),
                         Money(0, "CAD"),
                         fee,
                         FeeChange{Money(20000, "CAD"), Money(50000, "CAD"), "Tab\tand \"quotes\"\n"},
                         "P-7K3Q9X"};
  const auto invoiceBack = invoiceContentFromJson(toJson(invoice), "USD");
  CHECK(invoiceBack.total == fee);  // the content's own currency wins over the fallback
  CHECK(invoiceBack.feeChange->reason == "Tab\tand \"quotes\"\n");
  CHECK(invoiceBack.paymentReference == "P-7K3Q9X");
  CHECK(toJson(invoiceBack) == toJson(invoice));

  const ReceiptContent receipt{party(), Money(1, "CAD"), "bank_transfer", day(2027, 2, 28), "Virement « 42 »"};
  const auto receiptBack = receiptContentFromJson(toJson(receipt), "CAD");
  CHECK(receiptBack.reference == "Virement « 42 »");
  CHECK(toJson(receiptBack) == toJson(receipt));

  const RefundReceiptContent refund{party(), Money(700, "CAD"), "R-2027-00001", "Erreur"};
  CHECK(toJson(refundReceiptContentFromJson(toJson(refund), "CAD")) == toJson(refund));

  const AttestationContent attestation{party(), day(2027, 1, 5), day(2027, 3, 1), 12, day(2027, 1, 20)};
  const auto attestationBack = attestationContentFromJson(toJson(attestation));
  CHECK(attestationBack.awarenessDayOn == day(2027, 1, 20));
  CHECK(attestationBack.participant.language == "fr");
  CHECK(toJson(attestationBack) == toJson(attestation));
}

TEST_CASE("a content without a currency takes the document's", "[contents]") {
  const auto receipt = receiptContentFromJson(
      R"({"participant":{"code":"P-1"},"amount_cents":100,"method":"cash","received_on":"2027-01-02"})", "CAD");
  CHECK(receipt.amount == Money(100, "CAD"));
  CHECK(receipt.participant.name().empty());
}

TEST_CASE("unreadable contents are internal errors naming what is missing", "[contents]") {
  try {
    (void)invoiceContentFromJson(R"({"participant":{"code":"P-1"}})", "CAD");
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::internal);
    CHECK_THAT(e.what(), Catch::Contains("lines"));
  }
  CHECK_THROWS_AS(receiptContentFromJson("not json", "CAD"), core::Error);
  CHECK_THROWS_AS(attestationContentFromJson("[1, 2]"), core::Error);
  CHECK_THROWS_AS(refundReceiptContentFromJson(R"({"participant":{"code":"P-1"},"amount_cents":"5"})", "CAD"),
                  core::Error);
}

TEST_CASE("the language of issue is read from any content, never throwing", "[contents]") {
  CHECK(issuedLanguage(kReceipt) == "en");
  CHECK(issuedLanguage(kAttestation) == "fr");
  CHECK_FALSE(issuedLanguage("not json").has_value());
  CHECK_FALSE(issuedLanguage(R"({"participant":{"code":"P-1"}})").has_value());
}
