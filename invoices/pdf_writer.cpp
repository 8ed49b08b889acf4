#include "invoices/pdf_writer.h"

#include <hpdf.h>
// libharu's internal font structures, for the composite-glyph fix below
// (installed with libhpdf-dev; written against libharu 2.3.0).
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>

#include <Poco/Windows1252Encoding.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>

#include "core/error.h"
#include "invoices/document_text.h"

namespace parcours::invoices {

namespace {

using core::Error;
using core::ErrorCode;

constexpr const char* kDejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kDejaVuSansBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// Type sizes, in points, and the line height as a multiple of the size.
constexpr double kBodySize = 9.5;
constexpr double kSmallSize = 8;
constexpr double kTitleSize = 18;
constexpr double kOrganisationSize = 13;
constexpr double kHeadingSize = 11;
constexpr double kTotalSize = 10.5;
constexpr double kLeading = 1.32;
constexpr double kCellPadding = 4;
constexpr double kLogoMaxHeight = 48;
constexpr double kLogoMaxWidth = 140;
constexpr HPDF_UINT kMemoryPoolBlock = 32 * 1024;

struct Color {
  double r = 0, g = 0, b = 0;
};
constexpr Color kInk{0.10, 0.10, 0.12};
constexpr Color kMuted{0.36, 0.38, 0.42};
constexpr Color kAccent{0.09, 0.24, 0.42};
constexpr Color kRule{0.72, 0.74, 0.78};
constexpr Color kHeaderFill{0.91, 0.93, 0.96};

// ---------------------------------------------------------------- errors

struct HpdfErrors {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

// libharu calls this on every error and then returns an error status from
// the failing function. Throwing through libharu's C frames is not an
// option, so the first error is recorded and turned into core::Error by
// Pdf::check at the next checkpoint.
void onHpdfError(HPDF_STATUS code, HPDF_STATUS detail, void* data) {
  auto* errors = static_cast<HpdfErrors*>(data);
  if (errors->code == HPDF_OK) {
    errors->code = code;
    errors->detail = detail;
  }
}

std::string describe(HPDF_STATUS code, HPDF_STATUS detail) {
  std::string what;
  switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: what = "out of memory"; break;
    case HPDF_FILE_OPEN_ERROR: what = "cannot open file"; break;
    case HPDF_FILE_IO_ERROR: what = "cannot read file"; break;
    case HPDF_INVALID_PNG_IMAGE:
    case HPDF_LIBPNG_ERROR: what = "invalid PNG image"; break;
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: what = "the font does not allow embedding"; break;
    case HPDF_TTF_INVALID_CMAP:
    case HPDF_TTF_INVALID_FOMAT:
    case HPDF_TTF_MISSING_TABLE: what = "invalid TrueType font"; break;
    case HPDF_ENCRYPT_INVALID_PASSWORD: what = "invalid password"; break;
    default: what = "libharu error"; break;
  }
  char codes[48];
  std::snprintf(codes, sizeof codes, " (0x%04X, detail %u)", static_cast<unsigned>(code),
                static_cast<unsigned>(detail));
  return what + codes;
}

// One libharu document, freed on scope exit. Not movable: libharu keeps the
// address of `errors_`.
class Pdf {
 public:
  // A memory pool: libharu makes thousands of small allocations per document.
  Pdf() : doc_(HPDF_NewEx(&onHpdfError, nullptr, nullptr, kMemoryPoolBlock, &errors_)) {
    if (doc_ == nullptr) throw Error(ErrorCode::internal, "PDF: cannot create a document (out of memory)");
  }
  ~Pdf() { HPDF_Free(doc_); }
  Pdf(const Pdf&) = delete;
  Pdf& operator=(const Pdf&) = delete;

  HPDF_Doc get() const { return doc_; }

  // Throws the first recorded libharu error, if any.
  void check(std::string_view what) const {
    if (errors_.code == HPDF_OK) return;
    throw Error(ErrorCode::internal, "PDF: " + std::string(what) + ": " + describe(errors_.code, errors_.detail));
  }
  template <typename Handle>
  Handle require(Handle handle, std::string_view what) const {
    check(what);
    if (handle == nullptr) throw Error(ErrorCode::internal, "PDF: " + std::string(what) + " failed");
    return handle;
  }
  void ignoreEndOfStream() {
    if (errors_.code == HPDF_STREAM_EOF) {
      errors_ = {};
      HPDF_ResetError(doc_);
    }
  }

 private:
  HpdfErrors errors_;
  HPDF_Doc doc_;
};

// ---------------------------------------------------------------- text

// Decodes one UTF-8 code point at `i` (advancing it); -1 when invalid.
long decodeUtf8(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int length = 0;
  long cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07;
  } else {
    ++i;
    return -1;
  }
  if (i + length > text.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < length; ++k) {
    const unsigned char next = byte(i + k);
    if ((next & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  i += length;
  static constexpr long kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  return cp;
}

void appendUtf8(std::string& out, long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool isControl(long cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

// Strings go into the PDF in the document's encoding: Windows-1252 bytes for
// the built-in fonts, UTF-8 for DejaVu. Control characters become spaces
// (except "\n", a line break where the layout allows one).
class TextEncoder {
 public:
  explicit TextEncoder(bool unicode) : unicode_(unicode) {}

  bool unicode() const { return unicode_; }

  std::string operator()(std::string_view utf8) const {
    std::string clean = unicode_ ? repairedUtf8(utf8) : withoutControls(utf8);
    if (unicode_) return clean;
    // ASCII is the same in Windows-1252: most strings need no conversion.
    if (std::all_of(clean.begin(), clean.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      return clean;
    }
    // Poco's Windows-1252 table, one code point at a time. Poco::TextConverter
    // gives the same bytes, but through two virtual calls for every
    // character, ASCII included: ~160 instructions a character, 9 % of a
    // whole render (callgrind), which took the bench's ratio to bare libharu
    // from 0.65 down to 0.59.
    std::string bytes;
    bytes.reserve(clean.size());
    for (std::size_t i = 0; i < clean.size();) {
      const auto lead = static_cast<unsigned char>(clean[i]);
      if (lead < 0x80) {
        bytes += clean[i++];
        continue;
      }
      unsigned char byte = '?';  // not reached: the document fits Windows-1252
      windows1252_.convert(static_cast<int>(decodeUtf8(clean, i)), &byte, 1);
      bytes += static_cast<char>(byte);
    }
    return bytes;
  }

  // The end of the character that starts at `i` in encoded text.
  std::size_t nextChar(std::string_view encoded, std::size_t i) const {
    ++i;
    if (unicode_) {
      while (i < encoded.size() && (static_cast<unsigned char>(encoded[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
  }

 private:
  // ASCII controls never occur inside a UTF-8 sequence: a byte-wise pass is
  // enough (the text is known to be valid and to fit Windows-1252).
  static std::string withoutControls(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\n') || byte == 0x7F) c = ' ';
    }
    return out;
  }
  // libharu's UTF-8 encoder covers the Basic Multilingual Plane only;
  // anything else (and invalid UTF-8) prints as U+FFFD.
  static std::string repairedUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
      long cp = decodeUtf8(text, i);
      if (cp < 0 || cp > 0xFFFF) cp = 0xFFFD;
      if (cp != '\n' && isControl(cp)) cp = ' ';
      appendUtf8(out, cp);
    }
    return out;
  }

  bool unicode_;
  Poco::Windows1252Encoding windows1252_;
};

// Every string the document prints, for the choice of fonts.
void forEachString(const PdfDocument& document, const std::function<void(std::string_view)>& visit) {
  const Letterhead& head = document.letterhead;
  visit(head.organisation);
  for (const auto& line : head.addressLines) visit(line);
  if (head.gstNumber) visit(*head.gstNumber);
  if (head.qstNumber) visit(*head.qstNumber);
  visit(head.footer);
  visit(document.title);
  visit(document.number);
  visit(document.date);
  visit(document.recipientLabel);
  for (const auto& line : document.recipient) visit(line);
  for (const Block& block : document.blocks) {
    std::visit(
        [&](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, Heading> || std::is_same_v<T, Paragraph>) {
            visit(b.text);
          } else if constexpr (std::is_same_v<T, Facts>) {
            for (const auto& [label, value] : b.rows) {
              visit(label);
              visit(value);
            }
          } else if constexpr (std::is_same_v<T, Table>) {
            for (const auto& column : b.columns) visit(column.header);
            for (const auto& row : b.rows) {
              for (const auto& cell : row) visit(cell);
            }
          } else if constexpr (std::is_same_v<T, Totals>) {
            for (const auto& line : b.lines) {
              visit(line.label);
              visit(line.value);
            }
          } else if constexpr (std::is_same_v<T, Signature>) {
            for (const auto& line : b.lines) visit(line);
          }
        },
        block);
  }
}

bool documentFitsWindows1252(const PdfDocument& document) {
  bool fits = true;
  forEachString(document, [&](std::string_view text) {
    if (fits && !fitsWindows1252(text)) fits = false;
  });
  // The labels the writer adds itself ("N°", "Page 1 / 2", "N° TPS :") are
  // all Windows-1252.
  return fits;
}

// ---------------------------------------------------------------- fonts

struct Fonts {
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
  // Names of the embedded TrueType fonts (DejaVu only).
  std::vector<std::string> embedded;
};

Fonts loadFonts(Pdf& pdf, bool unicode) {
  Fonts fonts;
  if (!unicode) {
    fonts.regular = pdf.require(HPDF_GetFont(pdf.get(), "Helvetica", "WinAnsiEncoding"), "Helvetica");
    fonts.bold = pdf.require(HPDF_GetFont(pdf.get(), "Helvetica-Bold", "WinAnsiEncoding"), "Helvetica-Bold");
    return fonts;
  }
  HPDF_UseUTFEncodings(pdf.get());
  HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
  pdf.check("UTF-8 encoder");
  const char* regular = pdf.require(HPDF_LoadTTFontFromFile(pdf.get(), kDejaVuSans, HPDF_TRUE), kDejaVuSans);
  const char* bold = pdf.require(HPDF_LoadTTFontFromFile(pdf.get(), kDejaVuSansBold, HPDF_TRUE), kDejaVuSansBold);
  fonts.embedded = {regular, bold};
  fonts.regular = pdf.require(HPDF_GetFont(pdf.get(), regular, "UTF-8"), "DejaVu Sans");
  fonts.bold = pdf.require(HPDF_GetFont(pdf.get(), bold, "UTF-8"), "DejaVu Sans Bold");
  return fonts;
}

bool readFontBytes(HPDF_Stream stream, HPDF_UINT position, HPDF_BYTE* buffer, HPDF_UINT size) {
  if (HPDF_Stream_Seek(stream, static_cast<HPDF_INT>(position), HPDF_SEEK_SET) != HPDF_OK) return false;
  HPDF_UINT read = size;
  return HPDF_Stream_Read(stream, buffer, &read) == HPDF_OK && read == size;
}

// libharu 2.3.0 embeds a subset of a TrueType font: the glyphs it measured,
// plus the components of those that are composite — but only one level
// deep. DejaVu builds "ễ" from "e" and a composite circumflex-and-tilde, so
// without this pass "Nguyễn" prints as "Nguyen". Marks every component of
// every used glyph, recursively, before the font is written.
void includeNestedComponents(HPDF_FontDef fontdef) {
  if (fontdef == nullptr || fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE) return;
  auto* tt = static_cast<HPDF_TTFontDefAttr>(fontdef->attr);
  if (tt == nullptr || !tt->embedding || tt->stream == nullptr || tt->glyph_tbl.flgs == nullptr) return;
  constexpr unsigned kWords = 0x0001, kScale = 0x0008, kMore = 0x0020, kXYScale = 0x0040, kTwoByTwo = 0x0080;
  std::vector<HPDF_UINT16> pending;
  for (HPDF_UINT16 gid = 0; gid < tt->num_glyphs; ++gid) {
    if (tt->glyph_tbl.flgs[gid] != 0) pending.push_back(gid);
  }
  const HPDF_UINT unit = tt->header.index_to_loc_format == 0 ? 2 : 1;
  while (!pending.empty()) {
    const HPDF_UINT16 gid = pending.back();
    pending.pop_back();
    const HPDF_UINT start = tt->glyph_tbl.offsets[gid] * unit;
    const HPDF_UINT end = tt->glyph_tbl.offsets[gid + 1] * unit;
    if (end < start + 10) continue;  // empty glyph
    HPDF_UINT position = tt->glyph_tbl.base_offset + start;
    HPDF_BYTE bytes[4];
    if (!readFontBytes(tt->stream, position, bytes, 2)) return;
    if (bytes[0] != 0xFF || bytes[1] != 0xFF) continue;  // numberOfContours != -1: a simple glyph
    position += 10;                                      // numberOfContours and the bounding box
    for (;;) {
      if (!readFontBytes(tt->stream, position, bytes, 4)) return;
      const unsigned flags = static_cast<unsigned>(bytes[0] << 8 | bytes[1]);
      const auto component = static_cast<HPDF_UINT16>(bytes[2] << 8 | bytes[3]);
      position += 4 + ((flags & kWords) ? 4 : 2);
      position += (flags & kScale) ? 2 : (flags & kXYScale) ? 4 : (flags & kTwoByTwo) ? 8 : 0;
      if (component < tt->num_glyphs && tt->glyph_tbl.flgs[component] == 0) {
        tt->glyph_tbl.flgs[component] = 1;
        pending.push_back(component);
      }
      if ((flags & kMore) == 0) break;
    }
  }
}

// ---------------------------------------------------------------- layout

struct Face {
  HPDF_Font font;
  double size;
  Color color;
  double lineHeight() const { return size * kLeading; }
};

// A cell of a row being drawn: its lines (encoded), where, and how.
struct Cell {
  std::vector<std::string> lines;
  double left = 0;
  double width = 0;
  Align align = Align::left;
  Face face;
};

class Layout {
 public:
  Layout(Pdf& pdf, const Fonts& fonts, const TextEncoder& encode, const PdfDocument& document)
      : pdf_(pdf), fonts_(fonts), encode_(encode), document_(document) {
    const bool letter = document.letterhead.pageSize == PageSize::letter;
    pageWidth_ = letter ? 612 : 595.276;
    pageHeight_ = letter ? 792 : 841.89;
    left_ = document.margins.left;
    right_ = pageWidth_ - document.margins.right;
    top_ = pageHeight_ - document.margins.top;
    footerLines_ = wrap(encode_(document.letterhead.footer), small(kMuted), contentWidth() * 0.78);
    if (footerLines_.size() == 1 && footerLines_.front().empty()) footerLines_.clear();
    const double footerHeight =
        static_cast<double>(std::max<std::size_t>(footerLines_.size(), 1)) * small(kMuted).lineHeight();
    footerRule_ = document.margins.bottom + footerHeight + 2;
    bottom_ = footerRule_ + 12;
  }

  void run() {
    newPage();
    drawLetterhead();
    for (const Block& block : document_.blocks) {
      std::visit([this](const auto& b) { draw(b); }, block);
    }
    drawFooters();
  }

 private:
  // -- faces and measures
  Face body(Color color = kInk) const { return {fonts_.regular, kBodySize, color}; }
  Face bodyBold(Color color = kInk) const { return {fonts_.bold, kBodySize, color}; }
  Face small(Color color = kMuted) const { return {fonts_.regular, kSmallSize, color}; }
  Face smallBold(Color color = kInk) const { return {fonts_.bold, kSmallSize, color}; }
  double contentWidth() const { return right_ - left_; }

  double width(const Face& face, std::string_view encoded) const {
    if (encoded.empty()) return 0;
    const HPDF_TextWidth tw = HPDF_Font_TextWidth(face.font, reinterpret_cast<const HPDF_BYTE*>(encoded.data()),
                                                  static_cast<HPDF_UINT>(encoded.size()));
    return tw.width * face.size / 1000.0;
  }

  // Greedy word wrap of encoded text; "\n" forces a break; a word wider than
  // the line is cut between characters. Always at least one line.
  std::vector<std::string> wrap(std::string_view text, const Face& face, double maxWidth) const {
    std::vector<std::string> lines;
    // Most strings fit on one line: one measure instead of one per word.
    if (text.find('\n') == std::string_view::npos && text.find("  ") == std::string_view::npos &&
        (text.empty() || (text.front() != ' ' && text.back() != ' ')) && width(face, text) <= maxWidth) {
      lines.emplace_back(text);
      return lines;
    }
    std::size_t start = 0;
    for (;;) {
      const std::size_t newline = text.find('\n', start);
      wrapParagraph(text.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start),
                    face, maxWidth, lines);
      if (newline == std::string_view::npos) break;
      start = newline + 1;
    }
    return lines;
  }

  void wrapParagraph(std::string_view text, const Face& face, double maxWidth, std::vector<std::string>& lines) const {
    const double space = width(face, " ");
    std::string line;
    double lineWidth = 0;
    for (std::size_t i = 0; i < text.size();) {
      if (text[i] == ' ') {
        ++i;
        continue;
      }
      std::size_t end = text.find(' ', i);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view word = text.substr(i, end - i);
      i = end;
      const double wordWidth = width(face, word);
      if (!line.empty() && lineWidth + space + wordWidth <= maxWidth) {
        line += ' ';
        line += word;
        lineWidth += space + wordWidth;
        continue;
      }
      if (!line.empty()) lines.push_back(std::exchange(line, {}));
      if (wordWidth <= maxWidth) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      // A word longer than the line: cut it where it overflows.
      for (std::size_t from = 0; from < word.size();) {
        std::size_t to = encode_.nextChar(word, from);
        double pieceWidth = width(face, word.substr(from, to - from));
        while (to < word.size()) {
          const std::size_t next = encode_.nextChar(word, to);
          const double nextWidth = width(face, word.substr(from, next - from));
          if (nextWidth > maxWidth) break;
          to = next;
          pieceWidth = nextWidth;
        }
        if (to < word.size()) {
          lines.emplace_back(word.substr(from, to - from));
        } else {
          line = word.substr(from, to - from);
          lineWidth = pieceWidth;
        }
        from = to;
      }
    }
    lines.push_back(std::move(line));
  }

  // -- drawing primitives (PDF coordinates: y grows upwards)
  //
  // Every libharu operator costs a formatted write to the page's stream, so
  // consecutive pieces of text share one text object, and the font and
  // colour are only set when they change. Lines and fills close the text
  // object first (PDF allows no path inside one).
  void text(double x, double baseline, const std::string& encoded, const Face& face) {
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
  void textRight(double rightEdge, double baseline, const std::string& encoded, const Face& face) {
    text(rightEdge - width(face, encoded), baseline, encoded, face);
  }
  // A line of text whose box starts at `top`.
  static double baselineFor(double top, const Face& face) { return top - face.size * 0.93; }

  void endText() {
    if (!inText_) return;
    HPDF_Page_EndText(page_);
    inText_ = false;
  }
  void setFill(Color color) {
    if (hasFill_ && color.r == fill_.r && color.g == fill_.g && color.b == fill_.b) return;
    HPDF_Page_SetRGBFill(page_, static_cast<HPDF_REAL>(color.r), static_cast<HPDF_REAL>(color.g),
                         static_cast<HPDF_REAL>(color.b));
    fill_ = color;
    hasFill_ = true;
  }
  // Moves to another page (new or earlier): its graphics state is its own.
  void switchTo(HPDF_Page page) {
    endText();
    page_ = page;
    font_ = nullptr;
    fontSize_ = 0;
    hasFill_ = false;
  }

  void rule(double x1, double x2, double y, Color color = kRule, double thickness = 0.6) {
    endText();
    HPDF_Page_SetLineWidth(page_, static_cast<HPDF_REAL>(thickness));
    HPDF_Page_SetRGBStroke(page_, static_cast<HPDF_REAL>(color.r), static_cast<HPDF_REAL>(color.g),
                           static_cast<HPDF_REAL>(color.b));
    HPDF_Page_MoveTo(page_, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y));
    HPDF_Page_LineTo(page_, static_cast<HPDF_REAL>(x2), static_cast<HPDF_REAL>(y));
    HPDF_Page_Stroke(page_);
  }
  void fill(double x, double y, double w, double h, Color color) {
    endText();
    setFill(color);
    HPDF_Page_Rectangle(page_, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y), static_cast<HPDF_REAL>(w),
                        static_cast<HPDF_REAL>(h));
    HPDF_Page_Fill(page_);
  }

  // -- pages
  void newPage() {
    switchTo(pdf_.require(HPDF_AddPage(pdf_.get()), "add a page"));
    HPDF_Page_SetWidth(page_, static_cast<HPDF_REAL>(pageWidth_));
    HPDF_Page_SetHeight(page_, static_cast<HPDF_REAL>(pageHeight_));
    pages_.push_back(page_);
    y_ = top_;
    if (pages_.size() > 1) drawRunningHeader();
    freshTop_ = y_;
  }
  bool fits(double height) const { return y_ - height >= bottom_ - 0.01; }
  bool atFreshTop() const { return y_ >= freshTop_ - 0.01; }
  // Starts a new page unless `height` fits here (or nothing would be gained).
  void keep(double height) {
    if (!fits(height) && !atFreshTop()) newPage();
  }
  void space(double points) {
    if (!atFreshTop()) y_ -= points;
  }

  void drawRunningHeader() {
    const Face face = small();
    std::string left = document_.title;
    if (!document_.number.empty())
      left += " " + std::string(phrase(Phrase::number, document_.language)) + " " + document_.number;
    text(left_, baselineFor(y_, face), encode_(left), face);
    textRight(right_, baselineFor(y_, face), encode_(document_.letterhead.organisation), face);
    y_ -= face.lineHeight() + 3;
    rule(left_, right_, y_);
    y_ -= 14;
  }

  void drawFooters() {
    const int pages = static_cast<int>(pages_.size());
    const Face face = small();
    for (int n = 0; n < pages; ++n) {
      switchTo(pages_[static_cast<std::size_t>(n)]);
      rule(left_, right_, footerRule_);
      double top = footerRule_ - 3;
      const double firstBaseline = baselineFor(top, face);
      for (const auto& line : footerLines_) {
        text(left_, baselineFor(top, face), line, face);
        top -= face.lineHeight();
      }
      textRight(right_, firstBaseline, encode_(pageOf(n + 1, pages, document_.language)), face);
    }
    endText();
  }

  // -- the first page's head: letterhead, title block, recipient
  void drawLetterhead() {
    const Letterhead& head = document_.letterhead;
    const double leftWidth = contentWidth() * 0.48;
    double textLeft = left_;
    double logoBottom = top_;
    if (head.logoPngPath) {
      HPDF_Image logo =
          pdf_.require(HPDF_LoadPngImageFromFile(pdf_.get(), head.logoPngPath->c_str()), "logo " + *head.logoPngPath);
      const double w = HPDF_Image_GetWidth(logo);
      const double h = HPDF_Image_GetHeight(logo);
      const double scale = std::min({1.0, kLogoMaxHeight / h, kLogoMaxWidth / w});
      endText();
      HPDF_Page_DrawImage(page_, logo, static_cast<HPDF_REAL>(left_), static_cast<HPDF_REAL>(top_ - h * scale),
                          static_cast<HPDF_REAL>(w * scale), static_cast<HPDF_REAL>(h * scale));
      textLeft = left_ + w * scale + 12;
      logoBottom = top_ - h * scale;
    }
    const double textWidth = std::max(60.0, leftWidth - (textLeft - left_));

    // Organisation, address and tax numbers, top left.
    double y = top_;
    const Face organisation{fonts_.bold, kOrganisationSize, kAccent};
    for (const auto& line : wrap(encode_(head.organisation), organisation, textWidth)) {
      text(textLeft, baselineFor(y, organisation), line, organisation);
      y -= organisation.lineHeight();
    }
    y -= 2;
    std::vector<std::string> details(head.addressLines.begin(), head.addressLines.end());
    const core::Language l = document_.language;
    if (head.gstNumber) details.push_back(withColon(phrase(Phrase::gst_registration, l), l) + " " + *head.gstNumber);
    if (head.qstNumber) details.push_back(withColon(phrase(Phrase::qst_registration, l), l) + " " + *head.qstNumber);
    const Face detail = small();
    for (const auto& item : details) {
      for (const auto& line : wrap(encode_(item), detail, textWidth)) {
        text(textLeft, baselineFor(y, detail), line, detail);
        y -= detail.lineHeight();
      }
    }

    // Title, number and date, top right.
    const double rightWidth = contentWidth() * 0.5;
    double ry = top_;
    // A long title ("Attestation de participation") gets a smaller size
    // before it is wrapped.
    Face title{fonts_.bold, kTitleSize, kAccent};
    const std::string encodedTitle = encode_(document_.title);
    while (title.size > kTitleSize - 4 && width(title, encodedTitle) > rightWidth) title.size -= 1;
    for (const auto& line : wrap(encodedTitle, title, rightWidth)) {
      textRight(right_, baselineFor(ry, title), line, title);
      ry -= title.lineHeight();
    }
    ry -= 2;
    if (!document_.number.empty()) {
      const std::string number = std::string(phrase(Phrase::number, l)) + " " + document_.number;
      textRight(right_, baselineFor(ry, bodyBold()), encode_(number), bodyBold());
      ry -= bodyBold().lineHeight();
    }
    if (!document_.date.empty()) {
      const std::string date = withColon(phrase(Phrase::date, l), l) + " " + document_.date;
      textRight(right_, baselineFor(ry, body()), encode_(date), body());
      ry -= body().lineHeight();
    }

    y_ = std::min({y, ry, logoBottom}) - 22;

    // Recipient.
    if (!document_.recipient.empty()) {
      if (!document_.recipientLabel.empty()) {
        text(left_, baselineFor(y_, small()), encode_(document_.recipientLabel), small());
        y_ -= small().lineHeight() + 1;
      }
      bool first = true;
      for (const auto& item : document_.recipient) {
        const Face face = first ? bodyBold() : body();
        for (const auto& line : wrap(encode_(item), face, leftWidth)) {
          text(left_, baselineFor(y_, face), line, face);
          y_ -= face.lineHeight();
        }
        first = false;
      }
      y_ -= 10;
    }
    rule(left_, right_, y_);
    y_ -= 14;
    freshTop_ = y_;
  }

  // -- rows that may run over pages
  double rowHeight(const std::vector<Cell>& cells, double padding) const {
    double height = 0;
    for (const auto& cell : cells) {
      height = std::max(height, static_cast<double>(cell.lines.size()) * cell.face.lineHeight());
    }
    return height + 2 * padding;
  }

  // Draws a row whose cells start at y_; moves to a new page first when it
  // does not fit, and splits it between pages only when it is taller than a
  // page. `onNewPage` redraws a table's header.
  void drawRow(const std::vector<Cell>& cells, double padding, const std::function<void()>& onNewPage) {
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
          if (top - cell.face.lineHeight() < bottom_ - 0.01 && top < y_ - padding - 0.01) break;
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

  // -- blocks
  void draw(const Heading& heading) {
    const Face face{fonts_.bold, kHeadingSize, kAccent};
    space(10);
    keep(face.lineHeight() + 4 * body().lineHeight());
    for (const auto& line : wrap(encode_(heading.text), face, contentWidth())) {
      text(left_, baselineFor(y_, face), line, face);
      y_ -= face.lineHeight();
    }
    y_ -= 3;
  }

  void draw(const Facts& facts) {
    space(4);
    const double labelWidth = contentWidth() * 0.36;
    for (const auto& [label, value] : facts.rows) {
      std::vector<Cell> cells(2);
      cells[0] = {wrap(encode_(label), body(kMuted), labelWidth - 2 * kCellPadding), left_ - kCellPadding, labelWidth,
                  Align::left, body(kMuted)};
      cells[1] = {wrap(encode_(value), body(), contentWidth() - labelWidth - kCellPadding),
                  left_ + labelWidth - kCellPadding, contentWidth() - labelWidth + kCellPadding, Align::left, body()};
      drawRow(cells, 1, {});
    }
    y_ -= 4;
  }

  void draw(const Table& table) {
    if (table.columns.empty()) return;
    space(6);
    double weights = 0;
    for (const auto& column : table.columns) weights += std::max(column.weight, 0.01);
    std::vector<double> lefts, widths;
    double x = left_;
    for (const auto& column : table.columns) {
      const double w = contentWidth() * std::max(column.weight, 0.01) / weights;
      lefts.push_back(x);
      widths.push_back(w);
      x += w;
    }
    std::vector<Cell> header;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      header.push_back({wrap(encode_(table.columns[c].header), smallBold(), widths[c] - 2 * kCellPadding), lefts[c],
                        widths[c], table.columns[c].align, smallBold()});
    }
    const double headerHeight = rowHeight(header, 3);
    const auto drawHeader = [&] {
      fill(left_, y_ - headerHeight, contentWidth(), headerHeight, kHeaderFill);
      drawRow(header, 3, {});
    };

    const auto cellsOf = [&](const std::vector<std::string>& row) {
      std::vector<Cell> cells;
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const std::string cell = c < row.size() ? row[c] : std::string();
        cells.push_back({wrap(encode_(cell), body(), widths[c] - 2 * kCellPadding), lefts[c], widths[c],
                         table.columns[c].align, body()});
      }
      return cells;
    };
    // The header stays with the first row.
    const auto first = table.rows.empty() ? std::vector<Cell>{} : cellsOf(table.rows.front());
    keep(headerHeight + (first.empty() ? 0 : std::min(rowHeight(first, 3), 4 * body().lineHeight())));
    drawHeader();
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      drawRow(r == 0 ? first : cellsOf(table.rows[r]), 3, drawHeader);
      rule(left_, right_, y_, kRule, 0.4);
    }
    y_ -= 4;
  }

  void draw(const Totals& totals) {
    space(6);
    const auto faceOf = [&](const TotalLine& line) {
      return line.emphasis ? Face{fonts_.bold, kTotalSize, kInk} : body();
    };
    // Columns as wide as their widest entry; the labels wrap if the page is
    // too narrow for both.
    double labelColumn = 150, valueColumn = 90;
    std::vector<std::pair<std::string, std::string>> encoded;
    for (const auto& line : totals.lines) {
      encoded.emplace_back(encode_(line.label), encode_(line.value));
      labelColumn = std::max(labelColumn, width(faceOf(line), encoded.back().first) + 2 * kCellPadding + 12);
      valueColumn = std::max(valueColumn, width(faceOf(line), encoded.back().second) + 2 * kCellPadding);
    }
    valueColumn = std::min(valueColumn, contentWidth() / 2);
    labelColumn = std::min(labelColumn, contentWidth() - valueColumn);
    const double boxLeft = right_ - labelColumn - valueColumn;
    std::vector<std::vector<Cell>> rows;
    double height = 0;
    for (std::size_t i = 0; i < totals.lines.size(); ++i) {
      const TotalLine& line = totals.lines[i];
      const Face face = faceOf(line);
      std::vector<Cell> cells(2);
      cells[0] = {wrap(encoded[i].first, face, labelColumn - 2 * kCellPadding), boxLeft, labelColumn, Align::left,
                  face};
      cells[1] = {wrap(encoded[i].second, face, valueColumn - 2 * kCellPadding), boxLeft + labelColumn, valueColumn,
                  Align::right, face};
      height += rowHeight(cells, 2) + (line.emphasis ? 4 : 0);
      rows.push_back(std::move(cells));
    }
    keep(height);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (totals.lines[i].emphasis) {
        y_ -= 2;
        rule(boxLeft, right_, y_, kInk, 0.8);
        y_ -= 2;
      }
      drawRow(rows[i], 2, {});
    }
    y_ -= 4;
  }

  void draw(const Paragraph& paragraph) {
    space(8);
    const Face face = body();
    for (const auto& line : wrap(encode_(paragraph.text), face, contentWidth())) {
      keep(face.lineHeight());
      text(left_, baselineFor(y_, face), line, face);
      y_ -= face.lineHeight();
    }
  }

  void draw(const Signature& signature) {
    const double room = 42;
    const Face face = small(kInk);
    keep(room + static_cast<double>(signature.lines.size()) * face.lineHeight() + 4);
    y_ -= room;
    rule(left_, left_ + 230, y_, kInk, 0.6);
    y_ -= 4;
    for (const auto& item : signature.lines) {
      for (const auto& line : wrap(encode_(item), face, 300)) {
        text(left_, baselineFor(y_, face), line, face);
        y_ -= face.lineHeight();
      }
    }
  }

  Pdf& pdf_;
  const Fonts& fonts_;
  const TextEncoder& encode_;
  const PdfDocument& document_;
  double pageWidth_ = 0, pageHeight_ = 0, left_ = 0, right_ = 0, top_ = 0, bottom_ = 0;
  double footerRule_ = 0;
  std::vector<std::string> footerLines_;
  HPDF_Page page_ = nullptr;
  std::vector<HPDF_Page> pages_;
  bool inText_ = false;
  HPDF_Font font_ = nullptr;
  double fontSize_ = 0;
  Color fill_;
  bool hasFill_ = false;
  double y_ = 0;
  double freshTop_ = 0;
};

// ---------------------------------------------------------------- document

HPDF_Date pdfDate(core::Instant instant) {
  const auto day = date::floor<date::days>(instant);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{instant - day};
  HPDF_Date d{};
  d.year = static_cast<int>(ymd.year());
  d.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  d.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  d.hour = static_cast<int>(time.hours().count());
  d.minutes = static_cast<int>(time.minutes().count());
  d.seconds = static_cast<int>(time.seconds().count());
  d.ind = 'Z';
  return d;
}

// Info strings: with the built-in fonts libharu writes the bytes as they are
// (PDFDocEncoding, which agrees with Windows-1252 on Latin-1); with the UTF-8
// encoder current it writes them as UTF-16. Text that would not survive
// is left out of the metadata.
void setInfo(Pdf& pdf, const TextEncoder& encode, HPDF_InfoType type, std::string_view text) {
  if (encode.unicode()) {
    HPDF_SetInfoAttr(pdf.get(), type, encode(text).c_str());
    return;
  }
  for (std::size_t i = 0; i < text.size();) {
    const long cp = decodeUtf8(text, i);
    if (cp < 0x20 || cp > 0xFF || (cp >= 0x7F && cp < 0xA0)) return;
  }
  std::string latin1;
  for (std::size_t i = 0; i < text.size();) latin1 += static_cast<char>(decodeUtf8(text, i));
  HPDF_SetInfoAttr(pdf.get(), type, latin1.c_str());
}

std::string randomOwnerPassword() {
  std::random_device device;
  std::string password;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) password += kHex[device() % 16];
  return password;
}

std::string render(const PdfDocument& document, const PdfProtection* protection) {
  const bool unicode = !documentFitsWindows1252(document);
  Pdf pdf;
  // Compression is chosen before anything is added (libharu decides per
  // stream). The embedded font and a logo's pixels shrink a lot; the few
  // kilobytes of text of a Helvetica document are left as they are, which
  // saves zlib's setup on every page.
  if (unicode) {
    HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
  } else if (document.letterhead.logoPngPath) {
    HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_IMAGE);
  }
  const Fonts fonts = loadFonts(pdf, unicode);
  const TextEncoder encode(unicode);

  Layout layout(pdf, fonts, encode, document);
  layout.run();
  pdf.check("layout");

  for (const auto& name : fonts.embedded) includeNestedComponents(HPDF_GetFontDef(pdf.get(), name.c_str()));

  const HPDF_Date when = pdfDate(document.issuedAt);
  HPDF_SetInfoDateAttr(pdf.get(), HPDF_INFO_CREATION_DATE, when);
  HPDF_SetInfoDateAttr(pdf.get(), HPDF_INFO_MOD_DATE, when);
  HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_CREATOR, "Parcours");
  setInfo(pdf, encode, HPDF_INFO_TITLE,
          document.number.empty() ? document.title : document.title + " " + document.number);
  setInfo(pdf, encode, HPDF_INFO_AUTHOR, document.letterhead.organisation);
  pdf.check("document information");

  if (protection != nullptr) {
    const std::string owner = protection->ownerPassword.empty() ? randomOwnerPassword() : protection->ownerPassword;
    HPDF_SetPassword(pdf.get(), owner.c_str(), protection->userPassword.c_str());
    HPDF_SetEncryptionMode(pdf.get(), HPDF_ENCRYPT_R3, 16);
    pdf.check("encryption");
  }

  HPDF_SaveToStream(pdf.get());
  pdf.check("save");
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf.get());
  std::string bytes(size, '\0');
  HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  pdf.ignoreEndOfStream();
  pdf.check("read the saved document");
  bytes.resize(size);
  return bytes;
}

void requirePassword(const std::string& password, const char* field) {
  if (password.empty() || password.size() > 32) {
    throw Error(ErrorCode::unprocessable, "a PDF password has 1 to 32 bytes", field);
  }
  if (password.find('\0') != std::string::npos) throw Error(ErrorCode::unprocessable, "must not contain NUL", field);
}

}  // namespace

bool fitsWindows1252(std::string_view text) {
  Poco::Windows1252Encoding windows1252;
  unsigned char byte = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {  // ASCII: always there
      ++i;
      continue;
    }
    const long cp = decodeUtf8(text, i);
    // Poco maps the five bytes Windows-1252 leaves undefined (0x81, 0x8D, …)
    // to the C1 controls of the same value: not printable text.
    if (cp < 0xA0) return false;
    if (windows1252.convert(static_cast<int>(cp), &byte, 1) != 1) return false;
  }
  return true;
}

std::string renderPdf(const PdfDocument& document) {
  return render(document, nullptr);
}

std::string renderPdf(const PdfDocument& document, const PdfProtection& protection) {
  requirePassword(protection.userPassword, "user_password");
  if (!protection.ownerPassword.empty()) {
    requirePassword(protection.ownerPassword, "owner_password");
    if (protection.ownerPassword == protection.userPassword) {
      throw Error(ErrorCode::unprocessable, "must differ from the user password", "owner_password");
    }
  }
  return render(document, &protection);
}

}  // namespace parcours::invoices
