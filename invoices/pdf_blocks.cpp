#include "invoices/pdf_blocks.h"

#include <algorithm>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "invoices/document_text.h"
#include "invoices/page_layout.h"

namespace parcours::invoices::detail {

namespace {

// Type sizes, in points.
constexpr double kBodySize = 9.5;
constexpr double kSmallSize = 8;
constexpr double kTitleSize = 18;
constexpr double kOrganisationSize = 13;
constexpr double kHeadingSize = 11;
constexpr double kTotalSize = 10.5;
constexpr double kLogoMaxHeight = 48;
constexpr double kLogoMaxWidth = 140;

constexpr Color kInk{0.10, 0.10, 0.12};
constexpr Color kMuted{0.36, 0.38, 0.42};
constexpr Color kAccent{0.09, 0.24, 0.42};
constexpr Color kHeaderFill{0.91, 0.93, 0.96};

// The page of the document's size and margins; its bottom is left to the
// footer.
PageFrame pageFrame(const PdfDocument& document) {
  const bool letter = document.letterhead.pageSize == PageSize::letter;
  PageFrame frame;
  frame.width = letter ? 612 : 595.276;
  frame.height = letter ? 792 : 841.89;
  frame.left = document.margins.left;
  frame.right = frame.width - document.margins.right;
  frame.top = frame.height - document.margins.top;
  return frame;
}

// The letterhead's footer, the same on every page, under a rule.
struct Footer {
  std::vector<std::string> lines;  // encoded; none for an empty footer
  double rule = 0;                 // the rule's height on the page
};

class DocumentDrawer {
 public:
  DocumentDrawer(HpdfDocument& pdf, const Fonts& fonts, const TextEncoder& encode, const PdfDocument& document)
      : pdf_(pdf),
        fonts_(fonts),
        encode_(encode),
        document_(document),
        bytes_(encode.encoding() == TextEncoding::utf8 ? TextBytes::utf8 : TextBytes::single_byte),
        footer_(footerOf(pageFrame(document))),
        page_(pdf, withBottom(pageFrame(document), footer_.rule + 12), bytes_, runningHeader()) {}

  void run() {
    page_.newPage();
    drawLetterhead();
    for (const Block& block : document_.blocks) {
      std::visit([this](const auto& b) { draw(b); }, block);
    }
    drawFooters();
  }

 private:
  // -- faces
  Face body(Color color = kInk) const { return {fonts_.regular, kBodySize, color}; }
  Face bodyBold(Color color = kInk) const { return {fonts_.bold, kBodySize, color}; }
  Face small(Color color = kMuted) const { return {fonts_.regular, kSmallSize, color}; }
  Face smallBold(Color color = kInk) const { return {fonts_.bold, kSmallSize, color}; }
  static double baselineFor(double top, const Face& face) { return PageLayout::baselineFor(top, face); }

  // -- what every page carries (computed before the first page)
  Footer footerOf(const PageFrame& frame) const {
    Footer footer;
    footer.lines =
        wrapText(encode_(document_.letterhead.footer), small(kMuted), (frame.right - frame.left) * 0.78, bytes_);
    if (footer.lines.size() == 1 && footer.lines.front().empty()) footer.lines.clear();
    const double height =
        static_cast<double>(std::max<std::size_t>(footer.lines.size(), 1)) * small(kMuted).lineHeight();
    footer.rule = document_.margins.bottom + height + 2;
    return footer;
  }
  static PageFrame withBottom(PageFrame frame, double bottom) {
    frame.bottom = bottom;
    return frame;
  }
  RunningHeader runningHeader() const {
    std::string left = document_.title;
    if (!document_.number.empty()) {
      left += ' ';
      left += phrase(Phrase::number, document_.language);
      left += ' ';
      left += document_.number;
    }
    return {encode_(left), encode_(document_.letterhead.organisation), small()};
  }

  void drawFooters() {
    const PageFrame& f = page_.frame();
    const std::size_t pages = page_.pageCount();
    const Face face = small();
    for (std::size_t n = 0; n < pages; ++n) {
      page_.switchToPage(n);
      page_.rule(f.left, f.right, footer_.rule);
      double top = footer_.rule - 3;
      const double firstBaseline = baselineFor(top, face);
      for (const auto& line : footer_.lines) {
        page_.text(f.left, baselineFor(top, face), line, face);
        top -= face.lineHeight();
      }
      const std::string pageNumber = pageOf(static_cast<int>(n) + 1, static_cast<int>(pages), document_.language);
      page_.textRight(f.right, firstBaseline, encode_(pageNumber), face);
    }
    page_.endText();
  }

  // -- the first page's head: letterhead, title block, recipient
  void drawLetterhead() {
    const PageFrame& f = page_.frame();
    const Letterhead& head = document_.letterhead;
    const double leftWidth = page_.contentWidth() * 0.48;
    double textLeft = f.left;
    double logoBottom = f.top;
    if (head.logoPngPath) {
      HPDF_Image logo =
          pdf_.require(HPDF_LoadPngImageFromFile(pdf_.get(), head.logoPngPath->c_str()), "logo " + *head.logoPngPath);
      const double w = HPDF_Image_GetWidth(logo);
      const double h = HPDF_Image_GetHeight(logo);
      const double scale = std::min({1.0, kLogoMaxHeight / h, kLogoMaxWidth / w});
      page_.image(logo, f.left, f.top - h * scale, w * scale, h * scale);
      textLeft = f.left + w * scale + 12;
      logoBottom = f.top - h * scale;
    }
    const double textWidth = std::max(60.0, leftWidth - (textLeft - f.left));

    // Organisation, address and tax numbers, top left.
    double y = f.top;
    const Face organisation{fonts_.bold, kOrganisationSize, kAccent};
    for (const auto& line : page_.wrap(encode_(head.organisation), organisation, textWidth)) {
      page_.text(textLeft, baselineFor(y, organisation), line, organisation);
      y -= organisation.lineHeight();
    }
    y -= 2;
    std::vector<std::string> details(head.addressLines.begin(), head.addressLines.end());
    const core::Language l = document_.language;
    if (head.gstNumber) details.push_back(withColon(phrase(Phrase::gst_registration, l), l) + " " + *head.gstNumber);
    if (head.qstNumber) details.push_back(withColon(phrase(Phrase::qst_registration, l), l) + " " + *head.qstNumber);
    const Face detail = small();
    for (const auto& item : details) {
      for (const auto& line : page_.wrap(encode_(item), detail, textWidth)) {
        page_.text(textLeft, baselineFor(y, detail), line, detail);
        y -= detail.lineHeight();
      }
    }

    // Title, number and date, top right.
    const double rightWidth = page_.contentWidth() * 0.5;
    double ry = f.top;
    // A long title ("Attestation de participation") gets a smaller size
    // before it is wrapped.
    Face title{fonts_.bold, kTitleSize, kAccent};
    const std::string encodedTitle = encode_(document_.title);
    while (title.size > kTitleSize - 4 && page_.width(title, encodedTitle) > rightWidth) title.size -= 1;
    for (const auto& line : page_.wrap(encodedTitle, title, rightWidth)) {
      page_.textRight(f.right, baselineFor(ry, title), line, title);
      ry -= title.lineHeight();
    }
    ry -= 2;
    if (!document_.number.empty()) {
      const std::string number = std::string(phrase(Phrase::number, l)) + " " + document_.number;
      page_.textRight(f.right, baselineFor(ry, bodyBold()), encode_(number), bodyBold());
      ry -= bodyBold().lineHeight();
    }
    if (!document_.date.empty()) {
      const std::string date = withColon(phrase(Phrase::date, l), l) + " " + document_.date;
      page_.textRight(f.right, baselineFor(ry, body()), encode_(date), body());
      ry -= body().lineHeight();
    }

    page_.setY(std::min({y, ry, logoBottom}) - 22);
    drawRecipient(leftWidth);
    page_.rule(f.left, f.right, page_.y());
    page_.down(14);
    page_.markFreshTop();
  }

  void drawRecipient(double width) {
    if (document_.recipient.empty()) return;
    const double left = page_.frame().left;
    if (!document_.recipientLabel.empty()) {
      page_.text(left, baselineFor(page_.y(), small()), encode_(document_.recipientLabel), small());
      page_.down(small().lineHeight() + 1);
    }
    bool first = true;
    for (const auto& item : document_.recipient) {
      const Face face = first ? bodyBold() : body();
      for (const auto& line : page_.wrap(encode_(item), face, width)) {
        page_.text(left, baselineFor(page_.y(), face), line, face);
        page_.down(face.lineHeight());
      }
      first = false;
    }
    page_.down(10);
  }

  // -- blocks
  void draw(const Heading& heading) {
    const Face face{fonts_.bold, kHeadingSize, kAccent};
    page_.space(10);
    page_.keep(face.lineHeight() + 4 * body().lineHeight());
    for (const auto& line : page_.wrap(encode_(heading.text), face, page_.contentWidth())) {
      page_.text(page_.frame().left, baselineFor(page_.y(), face), line, face);
      page_.down(face.lineHeight());
    }
    page_.down(3);
  }

  void draw(const Facts& facts) {
    page_.space(4);
    const double left = page_.frame().left;
    const double contentWidth = page_.contentWidth();
    const double labelWidth = contentWidth * 0.36;
    for (const auto& [label, value] : facts.rows) {
      std::vector<Cell> cells(2);
      cells[0] = {page_.wrap(encode_(label), body(kMuted), labelWidth - 2 * kCellPadding), left - kCellPadding,
                  labelWidth, Align::left, body(kMuted)};
      cells[1] = {page_.wrap(encode_(value), body(), contentWidth - labelWidth - kCellPadding),
                  left + labelWidth - kCellPadding, contentWidth - labelWidth + kCellPadding, Align::left, body()};
      page_.drawRow(cells, 1, {});
    }
    page_.down(4);
  }

  void draw(const Table& table);
  void draw(const Totals& totals);

  void draw(const Paragraph& paragraph) {
    page_.space(8);
    const Face face = body();
    for (const auto& line : page_.wrap(encode_(paragraph.text), face, page_.contentWidth())) {
      page_.keep(face.lineHeight());
      page_.text(page_.frame().left, baselineFor(page_.y(), face), line, face);
      page_.down(face.lineHeight());
    }
  }

  void draw(const Signature& signature) {
    const double room = 42;
    const double left = page_.frame().left;
    const Face face = small(kInk);
    page_.keep(room + static_cast<double>(signature.lines.size()) * face.lineHeight() + 4);
    page_.down(room);
    page_.rule(left, left + 230, page_.y(), kInk, 0.6);
    page_.down(4);
    for (const auto& item : signature.lines) {
      for (const auto& line : page_.wrap(encode_(item), face, 300)) {
        page_.text(left, baselineFor(page_.y(), face), line, face);
        page_.down(face.lineHeight());
      }
    }
  }

  // Members in this order: the page layout is made from those before it.
  HpdfDocument& pdf_;
  const Fonts& fonts_;
  const TextEncoder& encode_;
  const PdfDocument& document_;
  TextBytes bytes_;
  Footer footer_;
  PageLayout page_;
};

// Columns share the content width by weight; the header row is filled and
// repeated on every page the table runs onto, and stays with the first row.
void DocumentDrawer::draw(const Table& table) {
  if (table.columns.empty()) return;
  page_.space(6);
  const double contentWidth = page_.contentWidth();
  double weights = 0;
  for (const auto& column : table.columns) weights += std::max(column.weight, 0.01);
  std::vector<double> lefts, widths;
  double x = page_.frame().left;
  for (const auto& column : table.columns) {
    const double w = contentWidth * std::max(column.weight, 0.01) / weights;
    lefts.push_back(x);
    widths.push_back(w);
    x += w;
  }
  std::vector<Cell> header;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    header.push_back({page_.wrap(encode_(table.columns[c].header), smallBold(), widths[c] - 2 * kCellPadding), lefts[c],
                      widths[c], table.columns[c].align, smallBold()});
  }
  const double headerHeight = PageLayout::rowHeight(header, 3);
  const auto drawHeader = [&] {
    page_.fill(page_.frame().left, page_.y() - headerHeight, contentWidth, headerHeight, kHeaderFill);
    page_.drawRow(header, 3, {});
  };

  const auto cellsOf = [&](const std::vector<std::string>& row) {
    std::vector<Cell> cells;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const std::string cell = c < row.size() ? row[c] : std::string();
      cells.push_back({page_.wrap(encode_(cell), body(), widths[c] - 2 * kCellPadding), lefts[c], widths[c],
                       table.columns[c].align, body()});
    }
    return cells;
  };
  const auto first = table.rows.empty() ? std::vector<Cell>{} : cellsOf(table.rows.front());
  page_.keep(headerHeight + (first.empty() ? 0 : std::min(PageLayout::rowHeight(first, 3), 4 * body().lineHeight())));
  drawHeader();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    page_.drawRow(r == 0 ? first : cellsOf(table.rows[r]), 3, drawHeader);
    page_.rule(page_.frame().left, page_.frame().right, page_.y(), kRule, 0.4);
  }
  page_.down(4);
}

// Label / amount rows at the right of the page, in columns as wide as their
// widest entry (the labels wrap if the page is too narrow for both); the
// emphasised line gets a rule above it. The rows stay together.
void DocumentDrawer::draw(const Totals& totals) {
  page_.space(6);
  const double contentWidth = page_.contentWidth();
  const double right = page_.frame().right;
  const auto faceOf = [&](const TotalLine& line) {
    return line.emphasis ? Face{fonts_.bold, kTotalSize, kInk} : body();
  };
  double labelColumn = 150, valueColumn = 90;
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& line : totals.lines) {
    encoded.emplace_back(encode_(line.label), encode_(line.value));
    labelColumn = std::max(labelColumn, page_.width(faceOf(line), encoded.back().first) + 2 * kCellPadding + 12);
    valueColumn = std::max(valueColumn, page_.width(faceOf(line), encoded.back().second) + 2 * kCellPadding);
  }
  valueColumn = std::min(valueColumn, contentWidth / 2);
  labelColumn = std::min(labelColumn, contentWidth - valueColumn);
  const double boxLeft = right - labelColumn - valueColumn;
  std::vector<std::vector<Cell>> rows;
  double height = 0;
  for (std::size_t i = 0; i < totals.lines.size(); ++i) {
    const TotalLine& line = totals.lines[i];
    const Face face = faceOf(line);
    std::vector<Cell> cells(2);
    cells[0] = {page_.wrap(encoded[i].first, face, labelColumn - 2 * kCellPadding), boxLeft, labelColumn, Align::left,
                face};
    cells[1] = {page_.wrap(encoded[i].second, face, valueColumn - 2 * kCellPadding), boxLeft + labelColumn, valueColumn,
                Align::right, face};
    height += PageLayout::rowHeight(cells, 2) + (line.emphasis ? 4 : 0);
    rows.push_back(std::move(cells));
  }
  page_.keep(height);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (totals.lines[i].emphasis) {
      page_.down(2);
      page_.rule(boxLeft, right, page_.y(), kInk, 0.8);
      page_.down(2);
    }
    page_.drawRow(rows[i], 2, {});
  }
  page_.down(4);
}

}  // namespace

void drawDocument(HpdfDocument& pdf, const Fonts& fonts, const TextEncoder& encode, const PdfDocument& document) {
  DocumentDrawer(pdf, fonts, encode, document).run();
}

}  // namespace parcours::invoices::detail
