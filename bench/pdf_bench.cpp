// PDF rendering against bare libharu, in one run (bench/README.md).
//
//   pdf_bench [N]            (default N = 3000)
//
// - parcours: renderIssuedDocument of a French invoice (JSON content parsed,
//   laid out with letterhead, facts, table, totals, paragraphs and footer,
//   Helvetica/WinAnsi, saved to memory);
// - bare: one HPDF_New, one page, Helvetica and Helvetica-Bold in
//   WinAnsiEncoding, as many characters of text as the invoice prints, in
//   lines, saved to memory, HPDF_Free.
// Both run N times, interleaved in 10 rounds, timed in thread CPU time (rates
// are documents per CPU-second); the ratio parcours/bare should be at least
// 0.5. Peak RSS (VmHWM) is read after 1 000 and after 10 000
// invoices: it must not grow. The DejaVu path (a name outside Windows-1252)
// is timed too, for information.

#include <hpdf.h>

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "invoices/document_layouts.h"

using namespace parcours;
using namespace parcours::invoices;

namespace {

Letterhead letterhead() {
  Letterhead head;
  head.organisation = "Parcours Longueuil";
  head.addressLines = {"Programme de sensibilisation et de déjudiciarisation", "1234, boulevard Taschereau, bureau 200",
                       "Longueuil (Québec)  J4K 2X1"};
  head.gstNumber = "812345678 RT0001";
  head.qstNumber = "1223456789 TQ0001";
  head.footer = "Document confidentiel. Questions : finances@parcours.example";
  return head;
}

DocumentView invoice(int n, const std::string& given, const std::string& family) {
  DocumentView view;
  view.kind = DocumentKind::invoice;
  char number[16];
  std::snprintf(number, sizeof number, "F-2027-%05d", n % 99999 + 1);
  view.number = number;
  view.issuedAt = core::parseInstant("2027-03-01T14:30:00Z") + std::chrono::seconds{n};
  view.total = core::Money(50000, "CAD");
  view.contentJson = R"({"participant":{"code":"P-7K3Q9X","given_name":")" + given + R"(","family_name":")" + family +
                     R"(","address":"4521, rue des Érables, app. 3\nLongueuil (Québec)  J4J 3B8","language":"fr"},)"
                     R"("lines":[{"description":"program_fee","amount_cents":50000,"tax_code":"exempt","gst_cents":0,)"
                     R"("qst_cents":0}],"subtotal_cents":50000,"gst_cents":0,"qst_cents":0,"total_cents":50000,)"
                     R"("currency":"CAD"})";
  return view;
}

// Characters the invoice prints (its model's strings; the writer adds a few
// labels on top).
std::size_t printedCharacters(const PdfDocument& d) {
  std::size_t n = d.title.size() + d.number.size() + d.date.size() + d.recipientLabel.size() +
                  d.letterhead.organisation.size() + d.letterhead.footer.size() + 60;
  for (const auto& s : d.letterhead.addressLines) n += s.size();
  for (const auto& s : d.recipient) n += s.size();
  for (const auto& block : d.blocks) {
    std::visit(
        [&](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, Paragraph> || std::is_same_v<T, Heading>) n += b.text.size();
          if constexpr (std::is_same_v<T, Facts>) {
            for (const auto& [l, v] : b.rows) n += l.size() + v.size();
          }
          if constexpr (std::is_same_v<T, Table>) {
            for (const auto& c : b.columns) n += c.header.size();
            for (const auto& r : b.rows) {
              for (const auto& c : r) n += c.size();
            }
          }
          if constexpr (std::is_same_v<T, Totals>) {
            for (const auto& l : b.lines) n += l.label.size() + l.value.size();
          }
        },
        block);
  }
  return n;
}

std::string bareDocument(std::size_t characters) {
  HPDF_Doc pdf = HPDF_New(nullptr, nullptr);
  HPDF_Font regular = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
  static const std::string kLine = "Frais de programme 500,00 $ re\xE7u le 1er mars 2027, merci. ";  // 60 bytes
  double y = 740;
  for (std::size_t printed = 0; printed < characters; printed += kLine.size(), y -= 13) {
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, (printed / kLine.size()) % 4 == 0 ? bold : regular, 9.5);
    HPDF_Page_TextOut(page, 54, y, kLine.c_str());
    HPDF_Page_EndText(page);
  }
  HPDF_SaveToStream(pdf);
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
  std::string bytes(size, '\0');
  HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  HPDF_Free(pdf);
  return bytes;
}

long peakRssKb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// CPU time of this thread: other processes on the machine do not count.
double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(10, std::atoi(argv[1])) : 3000;
  const Letterhead head = letterhead();
  const date::time_zone& zone = core::findZone("America/Toronto");
  const auto render = [&](int i) {
    return renderIssuedDocument(invoice(i, "Jean-François", "Tremblay"), core::Language::fr, head, zone);
  };

  // Memory first, so that the high-water mark is the renderer's own.
  std::size_t sink = 0;
  for (int i = 0; i < 1000; ++i) sink += render(i).size();
  const long rss1k = peakRssKb();
  for (int i = 1000; i < 10000; ++i) sink += render(i).size();
  const long rss10k = peakRssKb();

  const std::size_t characters =
      printedCharacters(issuedDocumentModel(invoice(1, "Jean-François", "Tremblay"), core::Language::fr, head, zone));
  const std::size_t ourSize = render(1).size();
  const std::size_t bareSize = bareDocument(characters).size();

  // Interleaved rounds, timed in thread CPU time; the ratio reported is the
  // median of the rounds' ratios, so a burst of load elsewhere on the
  // machine moves neither side alone.
  double ours = 0, bare = 0;
  const int rounds = 10;
  std::vector<double> ratios;
  for (int round = 0; round < rounds; ++round) {
    double start = cpuSeconds();
    for (int i = 0; i < n / rounds; ++i) sink += bareDocument(characters).size();
    const double bareRound = cpuSeconds() - start;
    start = cpuSeconds();
    for (int i = 0; i < n / rounds; ++i) sink += render(round * n + i).size();
    const double ourRound = cpuSeconds() - start;
    bare += bareRound;
    ours += ourRound;
    ratios.push_back(bareRound / ourRound);
  }
  std::sort(ratios.begin(), ratios.end());
  const double ratio = (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
  const int done = rounds * (n / rounds);
  const double ourRate = done / ours;
  const double bareRate = done / bare;

  const int unicodeRuns = 30;
  const double unicodeStart = cpuSeconds();
  std::size_t unicodeSize = 0;
  for (int i = 0; i < unicodeRuns; ++i) {
    unicodeSize = renderIssuedDocument(invoice(i, "Łukasz", "Nguyễn"), core::Language::fr, head, zone).size();
  }
  const double unicodeRate = unicodeRuns / (cpuSeconds() - unicodeStart);

  std::printf("documents per side      %d (text: %zu characters each)\n", done, characters);
  std::printf("bare libharu            %8.0f docs/s  %6.3f ms/doc  %6zu bytes\n", bareRate, 1000 / bareRate, bareSize);
  std::printf("parcours invoice        %8.0f docs/s  %6.3f ms/doc  %6zu bytes\n", ourRate, 1000 / ourRate, ourSize);
  std::printf("ratio parcours/bare     %8.2f   (median of %d rounds, min %.2f, max %.2f; target >= 0.5)\n", ratio,
              rounds, ratios.front(), ratios.back());
  std::printf("DejaVu invoice (info)   %8.1f docs/s  %6.1f ms/doc  %6zu bytes\n", unicodeRate, 1000 / unicodeRate,
              unicodeSize);
  std::printf("peak RSS after  1 000   %8ld kB\n", rss1k);
  std::printf("peak RSS after 10 000   %8ld kB   (%s)\n", rss10k, rss10k <= rss1k + 1024 ? "flat" : "GROWING");
  return sink == 0 ? 1 : 0;
}
