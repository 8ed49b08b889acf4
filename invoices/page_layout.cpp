#include "invoices/page_layout.h"

#include <algorithm>
#include <utility>

namespace parcours::invoices::detail {

double textWidth(const Face& face, std::string_view encoded) {
  if (encoded.empty()) return 0;
  const HPDF_TextWidth tw = HPDF_Font_TextWidth(face.font, reinterpret_cast<const HPDF_BYTE*>(encoded.data()),
                                                static_cast<HPDF_UINT>(encoded.size()));
  return tw.width * face.size / 1000.0;
}

std::vector<std::string> wrapText(std::string_view encoded, const Face& face, double maxWidth, TextBytes bytes) {
  return breakLines(
      encoded, maxWidth, [&face](std::string_view piece) { return textWidth(face, piece); }, bytes);
}

PageLayout::PageLayout(HpdfDocument& pdf, const PageFrame& frame, TextBytes bytes, RunningHeader header)
    : pdf_(pdf), frame_(frame), bytes_(bytes), header_(std::move(header)) {}

// ---------------------------------------------------------------- pages

void PageLayout::newPage() {
  switchTo(pdf_.require(HPDF_AddPage(pdf_.get()), "add a page"));
  HPDF_Page_SetWidth(page_, static_cast<HPDF_REAL>(frame_.width));
  HPDF_Page_SetHeight(page_, static_cast<HPDF_REAL>(frame_.height));
  pages_.push_back(page_);
  y_ = frame_.top;
  if (pages_.size() > 1) drawRunningHeader();
  freshTop_ = y_;
}

void PageLayout::drawRunningHeader() {
  const Face& face = header_.face;
  text(frame_.left, baselineFor(y_, face), header_.left, face);
  textRight(frame_.right, baselineFor(y_, face), header_.right, face);
  y_ -= face.lineHeight() + 3;
  rule(frame_.left, frame_.right, y_);
  y_ -= 14;
}

// ---------------------------------------------------------------- rows

double PageLayout::rowHeight(const std::vector<Cell>& cells, double padding) {
  double height = 0;
  for (const auto& cell : cells) {
    height = std::max(height, static_cast<double>(cell.lines.size()) * cell.face.lineHeight());
  }
  return height + 2 * padding;
}

void PageLayout::drawRow(const std::vector<Cell>& cells, double padding, const std::function<void()>& onNewPage) {
  const double height = rowHeight(cells, padding);
  if (!fits(height) && !atFreshTop()) {
    newPage();
    if (onNewPage) onNewPage();
  }
  std::vector<std::size_t> next(cells.size(), 0);
  for (;;) {
    double used = 0;
    bool remaining = false;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const Cell& cell = cells[c];
      double top = y_ - padding;
      std::size_t& k = next[c];
      for (; k < cell.lines.size(); ++k) {
        if (top - cell.face.lineHeight() < frame_.bottom - 0.01 && top < y_ - padding - 0.01) break;
        const std::string& line = cell.lines[k];
        const double baseline = baselineFor(top, cell.face);
        if (cell.align == Align::right) {
          textRight(cell.left + cell.width - kCellPadding, baseline, line, cell.face);
        } else {
          text(cell.left + kCellPadding, baseline, line, cell.face);
        }
        top -= cell.face.lineHeight();
      }
      used = std::max(used, (y_ - padding) - top);
      if (k < cell.lines.size()) remaining = true;
    }
    y_ -= used + 2 * padding;
    if (!remaining) return;
    newPage();
    if (onNewPage) onNewPage();
  }
}

// ---------------------------------------------------------------- primitives
//
// Every libharu operator costs a formatted write to the page's stream, so
// consecutive pieces of text share one text object, and the font and colour
// are only set when they change. Lines, fills and images close the text
// object first (PDF allows no path inside one).

void PageLayout::text(double x, double baseline, const std::string& encoded, const Face& face) {
  if (encoded.empty()) return;
  if (!inText_) {
    HPDF_Page_BeginText(page_);
    inText_ = true;
  }
  if (face.font != font_ || face.size != fontSize_) {
    HPDF_Page_SetFontAndSize(page_, face.font, static_cast<HPDF_REAL>(face.size));
    font_ = face.font;
    fontSize_ = face.size;
  }
  setFill(face.color);
  HPDF_Page_TextOut(page_, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(baseline), encoded.c_str());
}

void PageLayout::endText() {
  if (!inText_) return;
  HPDF_Page_EndText(page_);
  inText_ = false;
}

void PageLayout::setFill(Color color) {
  if (hasFill_ && color.r == fill_.r && color.g == fill_.g && color.b == fill_.b) return;
  HPDF_Page_SetRGBFill(page_, static_cast<HPDF_REAL>(color.r), static_cast<HPDF_REAL>(color.g),
                       static_cast<HPDF_REAL>(color.b));
  fill_ = color;
  hasFill_ = true;
}

// Moves to another page (new or earlier): its graphics state is its own.
void PageLayout::switchTo(HPDF_Page page) {
  endText();
  page_ = page;
  font_ = nullptr;
  fontSize_ = 0;
  hasFill_ = false;
}

void PageLayout::rule(double x1, double x2, double y, Color color, double thickness) {
  endText();
  HPDF_Page_SetLineWidth(page_, static_cast<HPDF_REAL>(thickness));
  HPDF_Page_SetRGBStroke(page_, static_cast<HPDF_REAL>(color.r), static_cast<HPDF_REAL>(color.g),
                         static_cast<HPDF_REAL>(color.b));
  HPDF_Page_MoveTo(page_, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y));
  HPDF_Page_LineTo(page_, static_cast<HPDF_REAL>(x2), static_cast<HPDF_REAL>(y));
  HPDF_Page_Stroke(page_);
}

void PageLayout::fill(double x, double y, double w, double h, Color color) {
  endText();
  setFill(color);
  HPDF_Page_Rectangle(page_, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w),
                      static_cast<HPDF_REAL>(h));
  HPDF_Page_Fill(page_);
}

void PageLayout::image(HPDF_Image image, double x, double y, double w, double h) {
  endText();
  HPDF_Page_DrawImage(page_, image, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w),
                      static_cast<HPDF_REAL>(h));
}

}  // namespace parcours::invoices::detail
