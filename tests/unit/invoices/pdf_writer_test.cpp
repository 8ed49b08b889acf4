#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "core/error.h"
#include "invoices/pdf_writer.h"
#include "pdf_tools.h"

using namespace parcours;
using namespace parcours::invoices;
using pdftest::letterhead;
using pdftest::PdfFile;

namespace {

PdfDocument sample(int rows) {
  PdfDocument document;
  document.letterhead = letterhead();
  document.title = "Facture";
  document.number = "F-2027-00042";
  document.date = "1er mars 2027";
  document.recipientLabel = "Facturé à";
  document.recipient = {"Jean Tremblay", "12, rue des Érables", "Longueuil (Québec)"};
  document.issuedAt = core::parseInstant("2027-03-01T14:30:00Z");
  document.blocks.emplace_back(Facts{{{"Code du participant", "P-7K3Q9X"}}});
  Table table;
  table.columns = {{"Description", 3, Align::left}, {"Montant", 1, Align::right}};
  for (int i = 1; i <= rows; ++i)
    table.rows.push_back({"Ligne numéro " + std::to_string(i), std::to_string(i) + ",00 $"});
  document.blocks.emplace_back(table);
  document.blocks.emplace_back(Totals{{{"Total", "500,00 $", true}}});
  return document;
}

// A 4×4 RGB PNG.
const unsigned char kPng[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
                              0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00,
                              0x00, 0x26, 0x93, 0x09, 0x29, 0x00, 0x00, 0x00, 0x18, 0x49, 0x44, 0x41, 0x54, 0x78,
                              0xda, 0x63, 0x10, 0xb1, 0xc9, 0x7b, 0xf6, 0xfa, 0x2b, 0x84, 0x64, 0x80, 0xb3, 0x80,
                              0x24, 0x03, 0x4e, 0x19, 0x00, 0xd8, 0x4a, 0x1c, 0x21, 0x6e, 0x7b, 0x55, 0x1c, 0x00,
                              0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

}  // namespace

TEST_CASE("Windows-1252 covers French, Vietnamese and Polish letters do not", "[pdf_writer]") {
  CHECK(fitsWindows1252("Reçu n° 12 « à l’été » — 1\u00A0234,56\u00A0$ €"));
  CHECK_FALSE(fitsWindows1252("Nguyễn"));
  CHECK_FALSE(fitsWindows1252("Łukasz"));
  CHECK_FALSE(fitsWindows1252("\xC3"));      // truncated UTF-8
  CHECK_FALSE(fitsWindows1252("\xC2\x81"));  // a C1 control: no Windows-1252 byte
}

TEST_CASE("a one-page document is a valid PDF with its text, in Helvetica", "[pdf_writer]") {
  const std::string bytes = renderPdf(sample(3));
  const PdfFile file(bytes);
  REQUIRE(file.qpdfCheck());
  CHECK(file.pages() == 1);
  const auto text = file.text();
  REQUIRE(text.status == 0);
  CHECK_THAT(text.text, Catch::Contains("Parcours Longueuil"));
  CHECK_THAT(text.text, Catch::Contains("Longueuil (Québec)"));
  CHECK_THAT(text.text, Catch::Contains("N° TPS : 123456789 RT0001"));
  CHECK_THAT(text.text, Catch::Contains("N° TVQ : 1234567890 TQ0001"));
  CHECK_THAT(text.text, Catch::Contains("N° F-2027-00042"));
  CHECK_THAT(text.text, Catch::Contains("Date : 1er mars 2027"));
  CHECK_THAT(text.text, Catch::Contains("12, rue des Érables"));
  CHECK_THAT(text.text, Catch::Contains("Page 1 / 1"));
  CHECK_THAT(text.text, Catch::Contains("Programme confidentiel — questions"));
  CHECK(bytes.find("/Helvetica") != std::string::npos);
  CHECK(bytes.find("DejaVu") == std::string::npos);
  const std::string info = file.info();
  CHECK_THAT(info, Catch::Contains("Facture F-2027-00042"));
  CHECK_THAT(info, Catch::Contains("612 x 792 pts (letter)"));
}

TEST_CASE("the same model gives the same bytes", "[pdf_writer]") {
  CHECK(renderPdf(sample(20)) == renderPdf(sample(20)));
  PdfDocument unicode = sample(2);
  unicode.recipient.front() = "Łukasz Nguyễn";
  CHECK(renderPdf(unicode) == renderPdf(unicode));
}

TEST_CASE("200 rows run over several pages with the table header on each", "[pdf_writer]") {
  const PdfFile file(renderPdf(sample(200)));
  REQUIRE(file.qpdfCheck());
  const int pages = file.pages();
  CHECK(pages >= 4);
  const auto text = file.text();
  const auto split = pdftest::pagesOf(text.text);
  REQUIRE(static_cast<int>(split.size()) == pages);
  for (int n = 0; n < pages; ++n) {
    const std::string& page = split[static_cast<std::size_t>(n)];
    CHECK_THAT(page, Catch::Contains("Description"));
    CHECK_THAT(page, Catch::Contains("Montant"));
    CHECK_THAT(page, Catch::Contains("Page " + std::to_string(n + 1) + " / " + std::to_string(pages)));
    if (n > 0) CHECK_THAT(page, Catch::Contains("Facture N° F-2027-00042"));
  }
  for (int i : {1, 57, 123, 200}) CHECK_THAT(text.text, Catch::Contains("Ligne numéro " + std::to_string(i) + " "));
  CHECK_THAT(split.back(), Catch::Contains("500,00 $"));
}

TEST_CASE("long cells and paragraphs wrap on words, overlong words are cut", "[pdf_writer]") {
  PdfDocument document = sample(0);
  std::string sentence;
  for (int i = 0; i < 60; ++i) sentence += "mot" + std::to_string(i) + " ";
  Table table;
  table.columns = {{"Description", 1, Align::left}, {"Montant", 1, Align::right}};
  table.rows.push_back({sentence, "1,00 $"});
  table.rows.push_back({std::string(300, 'x'), "2,00 $"});
  document.blocks.emplace_back(table);
  document.blocks.emplace_back(Paragraph{sentence + "\nfin du paragraphe"});
  const PdfFile file(renderPdf(document));
  REQUIRE(file.qpdfCheck());
  const auto text = file.text("-nopgbrk");
  for (int i : {0, 17, 59}) CHECK_THAT(text.text, Catch::Contains("mot" + std::to_string(i)));
  CHECK_THAT(text.text, Catch::Contains("fin du paragraphe"));
  // The 300 x's come back cut into several lines, none longer than a column.
  std::size_t xs = 0, longest = 0, run = 0;
  for (char c : text.text + " ") {
    if (c == 'x') {
      ++run;
      continue;
    }
    if (run > 3) xs += run;  // not the x of "example" in the footer
    longest = std::max(longest, run);
    run = 0;
  }
  CHECK(xs == 300);
  CHECK(longest < 150);
}

TEST_CASE("A4 pages, and a PNG logo in the letterhead", "[pdf_writer]") {
  const std::string logo = (std::filesystem::temp_directory_path() / "parcours-test-logo.png").string();
  std::ofstream(logo, std::ios::binary).write(reinterpret_cast<const char*>(kPng), sizeof kPng);
  PdfDocument document = sample(2);
  document.letterhead.pageSize = PageSize::a4;
  document.letterhead.logoPngPath = logo;
  const std::string bytes = renderPdf(document);
  std::filesystem::remove(logo);
  const PdfFile file(bytes);
  REQUIRE(file.qpdfCheck());
  CHECK_THAT(file.info(), Catch::Contains("(A4)"));
  CHECK(bytes.find("/Subtype /Image") != std::string::npos);
}

TEST_CASE("libharu errors become core::Error(internal), never an abort", "[pdf_writer]") {
  PdfDocument document = sample(1);
  document.letterhead.logoPngPath = "/nonexistent/logo.png";
  try {
    (void)renderPdf(document);
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::internal);
    CHECK_THAT(e.what(), Catch::StartsWith("PDF: logo /nonexistent/logo.png"));
  }
  document.letterhead.logoPngPath = "/etc/hostname";  // not a PNG
  CHECK_THROWS_AS(renderPdf(document), core::Error);
}

TEST_CASE("a password-protected copy needs the password", "[pdf_writer]") {
  const PdfFile file(renderPdf(sample(2), PdfProtection{"s3cret-pass", ""}));
  CHECK(file.qpdfCheck("s3cret-pass"));
  CHECK(file.text().status != 0);
  const auto opened = file.text("-upw s3cret-pass");
  REQUIRE(opened.status == 0);
  CHECK_THAT(opened.text, Catch::Contains("F-2027-00042"));
  CHECK_THAT(pdftest::run("pdfinfo -upw s3cret-pass '" + file.path() + "'").text, Catch::Contains("yes (print:yes"));
  CHECK_THROWS_AS(renderPdf(sample(1), PdfProtection{"", ""}), core::Error);
  CHECK_THROWS_AS(renderPdf(sample(1), PdfProtection{"same", "same"}), core::Error);
}

TEST_CASE("invalid UTF-8, controls and characters beyond the BMP never break a document", "[pdf_writer]") {
  PdfDocument document = sample(1);
  document.recipient.front() = "Bad \xC3 byte\x01 and an emoji \xF0\x9F\x99\x82 \xE2\x80\x8B";
  const PdfFile file(renderPdf(document));
  REQUIRE(file.qpdfCheck());
  const auto text = file.text();
  REQUIRE(text.status == 0);
  CHECK_THAT(text.text, Catch::Contains("Bad"));
  CHECK_THAT(text.text, Catch::Contains("\uFFFD"));
}

TEST_CASE("documents render concurrently, each with the same bytes", "[pdf_writer]") {
  const std::string reference = renderPdf(sample(30));
  PdfDocument unicode = sample(2);
  unicode.recipient.front() = "Łukasz Nguyễn";
  const std::string unicodeReference = renderPdf(unicode);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 40; ++i) {
        if (renderPdf(sample(30)) != reference) ++mismatches;
      }
      if (renderPdf(unicode) != unicodeReference) ++mismatches;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == 0);
}
