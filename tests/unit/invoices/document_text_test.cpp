#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "invoices/document_text.h"

using namespace parcours;
using namespace parcours::invoices;
using core::Language;
using parcours::testing::day;

TEST_CASE("long dates: 1er in French, Month D, YYYY in English", "[document_text]") {
  CHECK(longDate(day(2027, 3, 1), Language::fr) == "1er mars 2027");
  CHECK(longDate(day(2027, 3, 16), Language::fr) == "16 mars 2027");
  CHECK(longDate(day(2027, 8, 2), Language::fr) == "2 août 2027");
  CHECK(longDate(day(2027, 12, 31), Language::fr) == "31 décembre 2027");
  CHECK(longDate(day(2027, 3, 1), Language::en) == "March 1, 2027");
  CHECK(longDate(day(2027, 3, 16), Language::en) == "March 16, 2027");
  CHECK(dateRange(day(2027, 1, 1), day(2027, 3, 31), Language::fr) == "Du 1er janvier 2027 au 31 mars 2027");
  CHECK(dateRange(day(2027, 1, 1), day(2027, 3, 31), Language::en) == "January 1, 2027 to March 31, 2027");
  CHECK(balanceOn(day(2027, 3, 31), Language::fr) == "Solde au 31 mars 2027");
}

TEST_CASE("amounts follow each language's form", "[document_text]") {
  CHECK(formatAmount(50000, "CAD", Language::fr) == "500,00\u00A0$");
  CHECK(formatAmount(123456, "CAD", Language::fr) == "1\u00A0234,56\u00A0$");
  CHECK(formatAmount(50000, "CAD", Language::en) == "$500.00");
  CHECK(formatAmount(-123456, "CAD", Language::en) == "-$1,234.56");
}

TEST_CASE("French typography: no-break spaces in « », before colons and percents", "[document_text]") {
  CHECK(quoted("Capacité de payer", Language::fr) == "«\u00A0Capacité de payer\u00A0»");
  CHECK(quoted("Ability to pay", Language::en) == "\u201CAbility to pay\u201D");
  CHECK(withColon("Date", Language::fr) == "Date\u00A0:");
  CHECK(withColon("Date", Language::en) == "Date:");
  CHECK(phrase(Phrase::gst_with_rate, Language::fr) == "TPS (5\u00A0%)");
  CHECK(phrase(Phrase::qst_with_rate, Language::en) == "QST (9.975%)");
}

TEST_CASE("titles and labels in both languages", "[document_text]") {
  CHECK(phrase(Phrase::invoice, Language::fr) == "Facture");
  CHECK(phrase(Phrase::credit_note, Language::fr) == "Note de crédit");
  CHECK(phrase(Phrase::refund_receipt, Language::fr) == "Reçu de remboursement");
  CHECK(phrase(Phrase::statement, Language::en) == "Statement of account");
  CHECK(phrase(Phrase::attestation, Language::fr) == "Attestation de participation");
  CHECK(phrase(Phrase::attestation, Language::en) == "Attestation of completion");
  CHECK(phrase(Phrase::number, Language::fr) == "N°");
  CHECK(phrase(Phrase::number, Language::en) == "No.");
  CHECK(phrase(Phrase::gst, Language::fr) == "TPS");
  CHECK(phrase(Phrase::qst, Language::en) == "QST");
  CHECK(pageOf(2, 3, Language::fr) == "Page 2 / 3");
  CHECK(pageOf(2, 3, Language::en) == "Page 2 of 3");
}

TEST_CASE("codes of the content get their names, unknown codes print as they are", "[document_text]") {
  CHECK(lineDescription("program_fee", Language::fr) == "Frais de programme");
  CHECK(lineDescription("program_fee", Language::en) == "Program fee");
  CHECK(paymentMethodName("cheque", Language::fr) == "Chèque");
  CHECK(paymentMethodName("interac", Language::en) == "Interac e-Transfer");
  CHECK(paymentMethodName("bitcoin", Language::fr) == "bitcoin");
  CHECK(taxCodeName("exempt", Language::fr) == "Exonéré");
  CHECK(installmentStatusName("overdue", Language::fr) == "En retard");
  CHECK(ledgerEntryName("payment", Language::en) == "Payment");
}

TEST_CASE("the attestation sentence names the person, the code and the dates", "[document_text]") {
  AttestationWording wording{"Jean Tremblay", "P-7K3Q9X", day(2027, 1, 5), day(2027, 3, 1), day(2027, 1, 20), 6};
  const std::string fr = attestationSentence(wording, Language::fr);
  CHECK(fr.find("Jean Tremblay (code P-7K3Q9X)") != std::string::npos);
  CHECK(fr.find("a terminé le programme le 1er mars 2027") != std::string::npos);
  CHECK(fr.find("6 séances de thérapie") != std::string::npos);
  wording.awarenessDayOn.reset();
  wording.sessionsAttended = 1;
  const std::string en = attestationSentence(wording, Language::en);
  CHECK(en.find("completed the program on March 1, 2027") != std::string::npos);
  CHECK(en.find("one therapy session.") != std::string::npos);
  CHECK(en.find("awareness") == std::string::npos);
}
