// Writes one PDF of each kind of document, in French, with fictional data:
// invoice.pdf, credit_note.pdf, receipt.pdf, refund_receipt.pdf,
// statement.pdf and attestation.pdf in OUTPUT_DIR. Run by
// scripts/make-samples, which turns them into docs/samples/*.png.
//
//   make_samples [--logo FILE.png] [--en] OUTPUT_DIR

#include <cstring>
#include <fstream>
#include <iostream>

#include "core/error.h"
#include "invoices/document_layouts.h"

using namespace parcours;
using namespace parcours::invoices;

namespace {

core::LocalDate day(int y, unsigned m, unsigned d) {
  return core::LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

Letterhead letterhead(const char* logo) {
  Letterhead head;
  head.organisation = "Parcours Longueuil";
  head.addressLines = {"Programme de sensibilisation et de déjudiciarisation", "1234, boulevard Taschereau, bureau 200",
                       "Longueuil (Québec)  J4K 2X1", "450 555-0142 · finances@parcours.example"};
  head.gstNumber = "812345678 RT0001";
  head.qstNumber = "1223456789 TQ0001";
  head.footer =
      "Document confidentiel. Les renseignements qu’il contient sont protégés par la Loi sur la protection des "
      "renseignements personnels dans le secteur privé.";
  if (logo != nullptr) head.logoPngPath = logo;
  return head;
}

const std::string kParty = R"({"code":"P-7K3Q9X","given_name":"Jean-François","family_name":"Tremblay",)"
                           R"("address":"4521, rue des Érables, app. 3\nLongueuil (Québec)  J4J 3B8","language":"fr"})";

DocumentView document(DocumentKind kind, const std::string& number, const char* issuedAt, std::string content) {
  DocumentView view;
  view.kind = kind;
  view.number = number;
  view.issuedAt = core::parseInstant(issuedAt);
  view.total = core::Money::zero("CAD");
  view.contentJson = std::move(content);
  return view;
}

void write(const std::string& directory, const std::string& kind, const std::string& bytes) {
  const std::string path = directory + "/" + kind + ".pdf";
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
  std::cout << path << " (" << bytes.size() << " bytes)\n";
}

}  // namespace

int main(int argc, char** argv) {
  const char* logo = nullptr;
  const char* directory = nullptr;
  core::Language language = core::Language::fr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--logo") == 0 && i + 1 < argc) {
      logo = argv[++i];
    } else if (std::strcmp(argv[i], "--en") == 0) {
      language = core::Language::en;
    } else {
      directory = argv[i];
    }
  }
  if (directory == nullptr) {
    std::cerr << "usage: make_samples [--logo FILE.png] [--en] OUTPUT_DIR\n";
    return 2;
  }
  try {
    const Letterhead head = letterhead(logo);
    const date::time_zone& zone = core::findZone("America/Toronto");
    const auto issued = [&](const DocumentView& view) { return renderIssuedDocument(view, language, head, zone); };

    write(directory, "invoice",
          issued(document(DocumentKind::invoice, "F-2027-00018", "2027-01-12T15:04:00Z",
                          R"({"participant":)" + kParty +
                              R"(,"lines":[{"description":"program_fee","amount_cents":50000,"tax_code":"exempt",)"
                              R"("gst_cents":0,"qst_cents":0}],"subtotal_cents":50000,"gst_cents":0,"qst_cents":0,)"
                              R"("total_cents":50000,"currency":"CAD","payment_reference":"P-7K3Q9X"})")));
    write(directory, "credit_note",
          issued(document(DocumentKind::credit_note, "NC-2027-00003", "2027-01-19T19:30:00Z",
                          R"({"participant":)" + kParty +
                              R"(,"lines":[{"description":"fee_reduction","amount_cents":20000,"tax_code":"exempt",)"
                              R"("gst_cents":0,"qst_cents":0}],"subtotal_cents":20000,"gst_cents":0,"qst_cents":0,)"
                              R"("total_cents":20000,"currency":"CAD","previous_fee_cents":50000,)"
                              R"("new_fee_cents":30000,"reason":"Capacité de payer : prestations d’aide sociale"})")));
    write(directory, "receipt",
          issued(document(DocumentKind::receipt, "R-2027-00041", "2027-03-01T14:30:00Z",
                          R"({"participant":)" + kParty +
                              R"(,"amount_cents":10000,"currency":"CAD","method":"interac",)"
                              R"("received_on":"2027-03-01","reference":"CA1MR4kZ9qXe"})")));
    write(directory, "refund_receipt",
          issued(document(DocumentKind::refund_receipt, "RR-2027-00002", "2027-03-16T17:45:00Z",
                          R"({"participant":)" + kParty +
                              R"(,"amount_cents":10000,"currency":"CAD","payment_receipt_number":"R-2027-00041",)"
                              R"j("reason":"Paiement reçu en double (virement et chèque)"})j")));
    write(directory, "attestation",
          issued(document(DocumentKind::attestation, "A-2027-00007", "2027-04-06T13:00:00Z",
                          R"({"participant":)" + kParty +
                              R"(,"referred_on":"2026-12-14","completed_on":"2027-04-05",)"
                              R"("sessions_attended":6,"awareness_day_on":"2027-01-23"})")));

    StatementInput statement;
    statement.participant = {"P-7K3Q9X", "Jean-François Tremblay",
                             "4521, rue des Érables, app. 3\nLongueuil (Québec)  J4J 3B8"};
    statement.from = day(2027, 1, 1);
    statement.to = day(2027, 3, 31);
    statement.asOf = day(2027, 4, 1);
    using Kind = StatementInput::EntryKind;
    const auto cad = [](std::int64_t cents) { return core::Money(cents, "CAD"); };
    statement.entries = {{day(2027, 1, 12), Kind::charge, "F-2027-00018", cad(50000)},
                         {day(2027, 1, 19), Kind::credit, "NC-2027-00003", cad(20000)},
                         {day(2027, 1, 30), Kind::payment, "R-2027-00022", cad(10000)},
                         {day(2027, 3, 1), Kind::payment, "R-2027-00041", cad(10000)},
                         {day(2027, 3, 2), Kind::payment, "R-2027-00043", cad(10000)},
                         {day(2027, 3, 16), Kind::refund, "RR-2027-00002", cad(10000)}};
    using Status = StatementInput::InstallmentStatus;
    statement.installments = {{1, day(2027, 1, 31), cad(10000), cad(10000), Status::paid, "P7K3Q9X-1-9"},
                              {2, day(2027, 2, 28), cad(10000), cad(10000), Status::paid, "P7K3Q9X-2-8"},
                              {3, day(2027, 3, 31), cad(10000), cad(0), Status::open, "P7K3Q9X-3-Q"}};
    write(directory, "statement", renderStatement(statement, head, language));
  } catch (const std::exception& e) {
    std::cerr << "make_samples: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
