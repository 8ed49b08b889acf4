#pragma once
// Page layout and pagination for the PDF writer, over libharu: pages of one
// size with a content frame, a cursor moving down it, the text and rule
// primitives, and rows that move to the next page (or split across pages)
// when they do not fit. What is drawn where — letterhead, blocks, footers —
// is pdf_blocks.cpp's. Internal to the PDF writer.
//
// Coordinates are PDF points (1/72 in), y growing upwards. The cursor y()
// is the top of the next thing to draw; content stays above frame.bottom.
// Text is already encoded (pdf_text_encoding.h) for the font it is drawn in.

#include <hpdf.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "invoices/hpdf_handle.h"
#include "invoices/line_breaker.h"
#include "invoices/pdf_writer.h"

namespace parcours::invoices::detail {

constexpr double kLeading = 1.32;   // line height, as a multiple of the type size
constexpr double kCellPadding = 4;  // inside a cell, left and right

struct Color {
  double r = 0, g = 0, b = 0;
};
constexpr Color kRule{0.72, 0.74, 0.78};

struct Face {
  HPDF_Font font;
  double size;
  Color color;
  double lineHeight() const { return size * kLeading; }
};

// The width of encoded text in `face`, in points. For an embedded TrueType
// font, measuring marks the glyphs as used (they go into the subset).
double textWidth(const Face& face, std::string_view encoded);

// The lines of encoded text within maxWidth points, as breakLines
// (line_breaker.h) makes them with `face`'s widths.
std::vector<std::string> wrapText(std::string_view encoded, const Face& face, double maxWidth, TextBytes bytes);

// The page and the content frame in it.
struct PageFrame {
  double width = 0, height = 0;  // of the page
  double left = 0, right = 0;    // edges of the content
  double top = 0;                // where content starts on a page
  double bottom = 0;             // content stays above
};

// Drawn at the top of every page but the first: `left` and `right` (encoded)
// on one line in `face`, then a rule.
struct RunningHeader {
  std::string left;
  std::string right;
  Face face;
};

// A cell of a row: its lines (encoded), its box's left edge and width, how
// its lines align (inside kCellPadding), and its face.
struct Cell {
  std::vector<std::string> lines;
  double left = 0;
  double width = 0;
  Align align = Align::left;
  Face face;
};

class PageLayout {
 public:
  // No page yet: the first newPage() makes one.
  PageLayout(HpdfDocument& pdf, const PageFrame& frame, TextBytes bytes, RunningHeader header);

  const PageFrame& frame() const { return frame_; }
  double contentWidth() const { return frame_.right - frame_.left; }
  double width(const Face& face, std::string_view encoded) const { return textWidth(face, encoded); }
  std::vector<std::string> wrap(std::string_view encoded, const Face& face, double maxWidth) const {
    return wrapText(encoded, face, maxWidth, bytes_);
  }

  // -- the cursor
  double y() const { return y_; }
  void setY(double y) { y_ = y; }
  void down(double points) { y_ -= points; }
  // From here on, the cursor is at the top of the page's content (nothing
  // would be gained by moving to a new page).
  void markFreshTop() { freshTop_ = y_; }

  // -- pagination
  // Adds a page, draws the running header on it (from the second page on)
  // and puts the cursor under it.
  void newPage();
  bool fits(double height) const { return y_ - height >= frame_.bottom - 0.01; }
  bool atFreshTop() const { return y_ >= freshTop_ - 0.01; }
  // Starts a new page unless `height` fits here (or nothing would be gained).
  void keep(double height) {
    if (!fits(height) && !atFreshTop()) newPage();
  }
  // Moves the cursor down, unless at the top of a page.
  void space(double points) {
    if (!atFreshTop()) y_ -= points;
  }

  // -- rows that may run over pages
  static double rowHeight(const std::vector<Cell>& cells, double padding);
  // Draws a row whose cells start at the cursor (`padding` above and below
  // their lines) and moves the cursor under it. Moves to a new page first
  // when the row does not fit, and splits it between pages only when it is
  // taller than a page. `onNewPage` (may be empty) runs on each new page,
  // to redraw a table's header.
  void drawRow(const std::vector<Cell>& cells, double padding, const std::function<void()>& onNewPage);

  // -- drawing primitives; text, fills and rules on the current page
  static double baselineFor(double top, const Face& face) { return top - face.size * 0.93; }
  void text(double x, double baseline, const std::string& encoded, const Face& face);
  void textRight(double rightEdge, double baseline, const std::string& encoded, const Face& face) {
    text(rightEdge - width(face, encoded), baseline, encoded, face);
  }
  void rule(double x1, double x2, double y, Color color = kRule, double thickness = 0.6);
  void fill(double x, double y, double w, double h, Color color);
  void image(HPDF_Image image, double x, double y, double w, double h);
  // Closes the current text object (at the end of drawing).
  void endText();

  // -- pages already made (for their footers)
  std::size_t pageCount() const { return pages_.size(); }
  // Makes page `index` (0-based) the current page.
  void switchToPage(std::size_t index) { switchTo(pages_[index]); }

 private:
  void switchTo(HPDF_Page page);
  void setFill(Color color);
  void drawRunningHeader();

  HpdfDocument& pdf_;
  PageFrame frame_;
  TextBytes bytes_;
  RunningHeader header_;
  std::vector<HPDF_Page> pages_;
  double y_ = 0;
  double freshTop_ = 0;
  // The current page and its graphics state, to set font and colour only
  // when they change.
  HPDF_Page page_ = nullptr;
  bool inText_ = false;
  HPDF_Font font_ = nullptr;
  double fontSize_ = 0;
  Color fill_;
  bool hasFill_ = false;
};

}  // namespace parcours::invoices::detail
