#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "core/error.h"
#include "invoices/document_layouts.h"
#include "invoices/document_text.h"
#include "pdf_tools.h"

using namespace parcours;
using namespace parcours::invoices;
using core::Language;
using parcours::testing::day;
using pdftest::PdfFile;

namespace {

const date::time_zone& montreal() {
  return core::findZone("America/Toronto");
}

Letterhead letterhead() {
  return pdftest::letterhead("Programme confidentiel. Questions : finances@parcours.example");
}

std::string party(const std::string& given = "Jean-François", const std::string& family = "Tremblay") {
  return R"({"code":"P-7K3Q9X","given_name":")" + given + R"(","family_name":")" + family +
         R"(","address":"12, rue des Érables\nLongueuil (Québec)  J4H 1A1","language":"fr"})";
}

DocumentView view(DocumentKind kind, const std::string& number, const std::string& content, std::int64_t total) {
  DocumentView document;
  document.kind = kind;
  document.number = number;
  document.participantId = core::ParticipantId(7);
  // 09:30 in Montréal on 1 March 2027.
  document.issuedAt = core::parseInstant("2027-03-01T14:30:00Z");
  document.total = core::Money(total, "CAD");
  document.contentJson = content;
  return document;
}

DocumentView invoice(const std::string& given = "Jean-François", const std::string& family = "Tremblay") {
  return view(
      DocumentKind::invoice, "F-2027-00001",
      R"({"participant":)" + party(given, family) +
          R"(,"lines":[{"description":"program_fee","amount_cents":50000,"tax_code":"exempt","gst_cents":0,"qst_cents":0}],)"
          R"("subtotal_cents":50000,"gst_cents":0,"qst_cents":0,"total_cents":50000,"currency":"CAD"})",
      50000);
}

// An invoice issued since payment references are printed: the content
// names the reference (the participant code).
DocumentView invoiceWithReference() {
  DocumentView document = invoice();
  document.contentJson.pop_back();
  document.contentJson += R"(,"payment_reference":"P-7K3Q9X"})";
  return document;
}

DocumentView creditNote() {
  return view(
      DocumentKind::credit_note, "NC-2027-00003",
      R"({"participant":)" + party() +
          R"(,"lines":[{"description":"fee_reduction","amount_cents":20000,"tax_code":"gst_qst","gst_cents":1000,"qst_cents":1995}],)"
          R"("subtotal_cents":20000,"gst_cents":1000,"qst_cents":1995,"total_cents":22995,"currency":"CAD",)"
          R"("previous_fee_cents":50000,"new_fee_cents":30000,"reason":"Capacité de payer"})",
      22995);
}

DocumentView receipt() {
  return view(
      DocumentKind::receipt, "R-2027-00012",
      R"({"participant":)" + party() +
          R"(,"amount_cents":16668,"currency":"CAD","method":"cheque","received_on":"2027-03-16","reference":"Chèque 000123"})",
      16668);
}

DocumentView refundReceipt() {
  return view(
      DocumentKind::refund_receipt, "RR-2027-00002",
      R"({"participant":)" + party() +
          R"(,"amount_cents":5000,"currency":"CAD","payment_receipt_number":"R-2027-00012","reason":"Paiement en double"})",
      5000);
}

DocumentView attestation() {
  return view(
      DocumentKind::attestation, "A-2027-00004",
      R"({"participant":)" + party() +
          R"(,"referred_on":"2027-01-05","completed_on":"2027-03-01","sessions_attended":6,"awareness_day_on":"2027-01-20"})",
      0);
}

std::string textOf(const std::string& bytes, int* pages = nullptr) {
  const PdfFile file(bytes);
  REQUIRE(file.qpdfCheck());
  if (pages != nullptr) *pages = file.pages();
  const auto text = file.text();
  REQUIRE(text.status == 0);
  return text.text;
}

std::string render(const DocumentView& document, Language language) {
  return renderIssuedDocument(document, language, letterhead(), montreal());
}

core::Money cad(std::int64_t cents) {
  return core::Money(cents, "CAD");
}

StatementInput statement(int entries) {
  StatementInput input;
  input.participant = {"P-7K3Q9X", "Jean-François Tremblay", "12, rue des Érables\nLongueuil (Québec)  J4H 1A1"};
  input.from = day(2027, 1, 1);
  input.to = day(2027, 3, 31);
  input.asOf = day(2027, 4, 2);
  input.openingBalance = core::Money(0, "CAD");
  input.entries.push_back({day(2027, 1, 10), StatementInput::EntryKind::charge, "F-2027-00001", cad(50000)});
  for (int i = 0; i < entries; ++i) {
    input.entries.push_back({day(2027, 2, 1) + date::days{i % 50}, StatementInput::EntryKind::payment,
                             "R-2027-" +
                                 std::string(i + 1 < 10    ? "0000"
                                             : i + 1 < 100 ? "000"
                                                           : "00") +
                                 std::to_string(i + 1),
                             cad(100)});
  }
  input.entries.push_back(
      {day(2026, 12, 1), StatementInput::EntryKind::charge, "F-2026-00099", cad(99999)});  // outside
  using Status = StatementInput::InstallmentStatus;
  input.installments = {{1, day(2027, 1, 31), cad(16668), cad(16668), Status::paid, "P7K3Q9X-1-9"},
                        {2, day(2027, 2, 28), cad(16666), cad(5000), Status::partial, "P7K3Q9X-2-8"},
                        {3, day(2027, 3, 31), cad(16666), cad(0), Status::overdue, "P7K3Q9X-3-Q"}};
  return input;
}

}  // namespace

TEST_CASE("invoice in French", "[layouts]") {
  const std::string text = textOf(render(invoice(), Language::fr));
  CHECK_THAT(text, Catch::Contains("Facture"));
  CHECK_THAT(text, Catch::Contains("N° F-2027-00001"));
  CHECK_THAT(text, Catch::Contains("Date : 1er mars 2027"));
  CHECK_THAT(text, Catch::Contains("Facturé à"));
  CHECK_THAT(text, Catch::Contains("Jean-François Tremblay"));
  CHECK_THAT(text, Catch::Contains("12, rue des Érables"));
  CHECK_THAT(text, Catch::Contains("P-7K3Q9X"));
  CHECK_THAT(text, Catch::Contains("Frais de programme"));
  CHECK_THAT(text, Catch::Contains("Exonéré"));
  CHECK_THAT(text, Catch::Contains("500,00 $"));
  CHECK_THAT(text, Catch::Contains("Sous-total"));
  CHECK_THAT(text, Catch::Contains("Services exonérés de la TPS et de la TVQ."));
  CHECK_THAT(text, Catch::Contains("Page 1 / 1"));
  CHECK_THAT(text, !Catch::Contains("$500"));
}

TEST_CASE("invoice in English", "[layouts]") {
  const std::string text = textOf(render(invoice(), Language::en));
  CHECK_THAT(text, Catch::Contains("Invoice"));
  CHECK_THAT(text, Catch::Contains("No. F-2027-00001"));
  CHECK_THAT(text, Catch::Contains("Date: March 1, 2027"));
  CHECK_THAT(text, Catch::Contains("Bill to"));
  CHECK_THAT(text, Catch::Contains("Jean-François Tremblay"));
  CHECK_THAT(text, Catch::Contains("Program fee"));
  CHECK_THAT(text, Catch::Contains("$500.00"));
  CHECK_THAT(text, Catch::Contains("GST No.: 123456789 RT0001"));
  CHECK_THAT(text, Catch::Contains("Page 1 of 1"));
  CHECK_THAT(text, !Catch::Contains("500,00"));
}

TEST_CASE("a new invoice prints its payment reference and asks for it", "[layouts][reference]") {
  const std::string fr = textOf(render(invoiceWithReference(), Language::fr));
  CHECK_THAT(fr, Catch::Contains("Référence de paiement"));
  CHECK_THAT(fr, Catch::Contains("de paiement P-7K3Q9X dans le message du virement Interac"));
  CHECK_THAT(fr, !Catch::Contains("avec votre paiement"));
  const std::string en = textOf(render(invoiceWithReference(), Language::en));
  CHECK_THAT(en, Catch::Contains("Payment reference"));
  CHECK_THAT(en, Catch::Contains("Write the payment reference P-7K3Q9X"));
  CHECK_THAT(en, !Catch::Contains("quote number"));
}

TEST_CASE("an invoice stored before payment references renders as it always did", "[layouts][reference]") {
  // Its model: the participant code alone in the facts, the old closing sentence.
  const PdfDocument model = issuedDocumentModel(invoice(), Language::en, letterhead(), montreal());
  const auto* facts = std::get_if<Facts>(&model.blocks.front());
  REQUIRE(facts != nullptr);
  REQUIRE(facts->rows.size() == 1);
  CHECK(facts->rows[0].first == "Participant code");
  const auto* note = std::get_if<Paragraph>(&model.blocks.back());
  REQUIRE(note != nullptr);
  CHECK(note->text == invoicePaymentNote("F-2027-00001", Language::en));
  const std::string fr = textOf(render(invoice(), Language::fr));
  CHECK_THAT(fr, !Catch::Contains("Référence de paiement"));
  CHECK_THAT(fr, Catch::Contains("numéro F-2027-00001 avec votre paiement"));
}

TEST_CASE("credit note with taxes, in both languages", "[layouts]") {
  const std::string fr = textOf(render(creditNote(), Language::fr));
  CHECK_THAT(fr, Catch::Contains("Note de crédit"));
  CHECK_THAT(fr, Catch::Contains("N° NC-2027-00003"));
  CHECK_THAT(fr, Catch::Contains("« Capacité de payer »"));
  CHECK_THAT(fr, Catch::Contains("Réduction des frais de programme"));
  CHECK_THAT(fr, Catch::Contains("TPS (5 %)"));
  CHECK_THAT(fr, Catch::Contains("10,00 $"));
  CHECK_THAT(fr, Catch::Contains("TVQ (9,975 %)"));
  CHECK_THAT(fr, Catch::Contains("19,95 $"));
  CHECK_THAT(fr, Catch::Contains("229,95 $"));
  CHECK_THAT(fr, Catch::Contains("500,00 $"));
  CHECK_THAT(fr, Catch::Contains("300,00 $"));
  CHECK_THAT(fr, Catch::Contains("P-7K3Q9X"));
  const std::string en = textOf(render(creditNote(), Language::en));
  CHECK_THAT(en, Catch::Contains("Credit note"));
  CHECK_THAT(en, Catch::Contains("\u201CCapacité de payer\u201D"));
  CHECK_THAT(en, Catch::Contains("GST (5%)"));
  CHECK_THAT(en, Catch::Contains("$229.95"));
}

TEST_CASE("receipt in both languages", "[layouts]") {
  const std::string fr = textOf(render(receipt(), Language::fr));
  CHECK_THAT(fr, Catch::Contains("Reçu"));
  CHECK_THAT(fr, Catch::Contains("N° R-2027-00012"));
  CHECK_THAT(fr, Catch::Contains("16 mars 2027"));
  CHECK_THAT(fr, Catch::Contains("Chèque 000123"));
  CHECK_THAT(fr, Catch::Contains("Mode de paiement"));
  CHECK_THAT(fr, Catch::Contains("166,68 $"));
  CHECK_THAT(fr, Catch::Contains("Jean-François Tremblay"));
  CHECK_THAT(fr, Catch::Contains("P-7K3Q9X"));
  const std::string en = textOf(render(receipt(), Language::en));
  CHECK_THAT(en, Catch::Contains("Receipt"));
  CHECK_THAT(en, Catch::Contains("March 16, 2027"));
  CHECK_THAT(en, Catch::Contains("Cheque"));
  CHECK_THAT(en, Catch::Contains("$166.68"));
}

TEST_CASE("refund receipt in both languages", "[layouts]") {
  const std::string fr = textOf(render(refundReceipt(), Language::fr));
  CHECK_THAT(fr, Catch::Contains("Reçu de remboursement"));
  CHECK_THAT(fr, Catch::Contains("N° RR-2027-00002"));
  CHECK_THAT(fr, Catch::Contains("R-2027-00012"));
  CHECK_THAT(fr, Catch::Contains("« Paiement en double »"));
  CHECK_THAT(fr, Catch::Contains("50,00 $"));
  CHECK_THAT(fr, Catch::Contains("P-7K3Q9X"));
  const std::string en = textOf(render(refundReceipt(), Language::en));
  CHECK_THAT(en, Catch::Contains("Refund receipt"));
  CHECK_THAT(en, Catch::Contains("$50.00"));
  CHECK_THAT(en, Catch::Contains("Date: March 1, 2027"));
}

TEST_CASE("attestation of completion in both languages", "[layouts]") {
  const std::string fr = textOf(render(attestation(), Language::fr));
  CHECK_THAT(fr, Catch::Contains("Attestation de participation"));
  CHECK_THAT(fr, Catch::Contains("N° A-2027-00004"));
  CHECK_THAT(fr, Catch::Contains("Nous attestons que Jean-François Tremblay"));
  CHECK_THAT(fr, Catch::Contains("P-7K3Q9X"));
  CHECK_THAT(fr, Catch::Contains("1er mars 2027"));
  CHECK_THAT(fr, Catch::Contains("20 janvier 2027"));
  CHECK_THAT(fr, Catch::Contains("Signature autorisée"));
  CHECK_THAT(fr, Catch::Contains("Pour Parcours Longueuil"));
  const std::string en = textOf(render(attestation(), Language::en));
  CHECK_THAT(en, Catch::Contains("Attestation of completion"));
  CHECK_THAT(en, Catch::Contains("We certify that Jean-François Tremblay"));
  CHECK_THAT(en, Catch::Contains("March 1, 2027"));
  CHECK_THAT(en, Catch::Contains("For Parcours Longueuil"));
}

TEST_CASE("a name outside Windows-1252 switches the document to DejaVu", "[layouts]") {
  const std::string bytes = render(invoice("Łukasz", "Nguyễn"), Language::fr);
  CHECK(bytes.find("DejaVuSans") != std::string::npos);
  CHECK(bytes.find("/Helvetica") == std::string::npos);
  const std::string text = textOf(bytes);
  CHECK_THAT(text, Catch::Contains("Łukasz Nguyễn"));
  CHECK_THAT(text, Catch::Contains("Facturé à"));
  CHECK_THAT(text, Catch::Contains("500,00 $"));
  CHECK_THAT(text, Catch::Contains("1er mars 2027"));
  CHECK(bytes == render(invoice("Łukasz", "Nguyễn"), Language::fr));
}

TEST_CASE("identical inputs give identical bytes", "[layouts]") {
  for (const auto& document : {invoice(), creditNote(), receipt(), refundReceipt(), attestation()}) {
    CHECK(render(document, Language::fr) == render(document, Language::fr));
  }
  CHECK(renderStatement(statement(5), letterhead(), Language::fr) ==
        renderStatement(statement(5), letterhead(), Language::fr));
  // The PDF's dates are the issue instant, not the clock.
  const PdfFile file(render(invoice(), Language::fr));
  CHECK_THAT(file.info(), Catch::Contains("CreationDate:"));
  CHECK_THAT(file.info(), Catch::Contains("2027"));
}

TEST_CASE("statement of account with a running balance and the schedule", "[layouts]") {
  const std::string fr = textOf(renderStatement(statement(3), letterhead(), Language::fr));
  CHECK_THAT(fr, Catch::Contains("Relevé de compte"));
  CHECK_THAT(fr, Catch::Contains("Date : 2 avril 2027"));
  CHECK_THAT(fr, Catch::Contains("Du 1er janvier 2027 au 31 mars 2027"));
  CHECK_THAT(fr, Catch::Contains("P-7K3Q9X"));
  CHECK_THAT(fr, Catch::Contains("Jean-François Tremblay"));
  CHECK_THAT(fr, Catch::Contains("Solde d’ouverture"));
  CHECK_THAT(fr, Catch::Contains("Facture F-2027-00001"));
  CHECK_THAT(fr, Catch::Contains("Paiement R-2027-00003"));
  CHECK_THAT(fr, Catch::Contains("497,00 $"));  // running balance after three payments of 1,00 $
  CHECK_THAT(fr, Catch::Contains("Solde au 31 mars 2027"));
  CHECK_THAT(fr, Catch::Contains("Échéancier"));
  CHECK_THAT(fr, Catch::Contains("Partiellement payé"));
  CHECK_THAT(fr, Catch::Contains("En retard"));
  CHECK_THAT(fr, !Catch::Contains("F-2026-00099"));
  for (const char* reference : {"P7K3Q9X-1-9", "P7K3Q9X-2-8", "P7K3Q9X-3-Q"}) {
    CHECK_THAT(fr, Catch::Contains(reference));
  }
  CHECK_THAT(fr, Catch::Contains("Pour chaque versement, inscrivez sa référence de paiement"));
  const std::string en = textOf(renderStatement(statement(3), letterhead(), Language::en));
  CHECK_THAT(en, Catch::Contains("Statement of account"));
  CHECK_THAT(en, Catch::Contains("January 1, 2027 to March 31, 2027"));
  CHECK_THAT(en, Catch::Contains("Balance as of March 31, 2027"));
  CHECK_THAT(en, Catch::Contains("$497.00"));
  CHECK_THAT(en, Catch::Contains("Overdue"));
  CHECK_THAT(en, Catch::Contains("P7K3Q9X-3-Q"));
  CHECK_THAT(en, Catch::Contains("write its payment reference"));
}

TEST_CASE("a statement of 200 lines paginates with the header on every page", "[layouts]") {
  int pages = 0;
  const std::string text = textOf(renderStatement(statement(200), letterhead(), Language::fr), &pages);
  CHECK(pages >= 4);
  const auto split = pdftest::pagesOf(text);
  REQUIRE(static_cast<int>(split.size()) == pages);
  for (int n = 0; n < pages; ++n) {
    const std::string& page = split[static_cast<std::size_t>(n)];
    CHECK_THAT(page, Catch::Contains("Page " + std::to_string(n + 1) + " / " + std::to_string(pages)));
    if (n > 0) CHECK_THAT(page, Catch::Contains("Relevé de compte"));
  }
  // The transactions table's header on every page it runs onto.
  int withHeader = 0;
  for (const auto& page : split) {
    if (page.find("Débit") != std::string::npos && page.find("Crédit") != std::string::npos) ++withHeader;
  }
  CHECK(withHeader >= pages - 1);
  CHECK_THAT(text, Catch::Contains("R-2027-00200"));
  CHECK_THAT(text, Catch::Contains("300,00 $"));  // 500,00 $ − 200 × 1,00 $
}

TEST_CASE("a protected copy is refused without its password", "[layouts]") {
  const PdfFile file(
      renderIssuedDocumentProtected(receipt(), Language::fr, letterhead(), montreal(), PdfProtection{"7K3Q9X", ""}));
  CHECK(file.text().status != 0);
  const auto opened = file.text("-upw 7K3Q9X");
  REQUIRE(opened.status == 0);
  CHECK_THAT(opened.text, Catch::Contains("R-2027-00012"));
  CHECK_THAT(opened.text, Catch::Contains("166,68 $"));
}

TEST_CASE("unreadable content is an internal error that names the document", "[layouts]") {
  DocumentView broken = invoice();
  broken.contentJson = R"({"participant":{"code":"P-1"}})";
  try {
    (void)render(broken, Language::fr);
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::internal);
    CHECK_THAT(e.what(), Catch::Contains("F-2027-00001"));
  }
  broken.contentJson = "not json";
  CHECK_THROWS_AS(render(broken, Language::fr), core::Error);
}
