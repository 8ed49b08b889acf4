#pragma once
// The PDF writer's text encoding (pure: no libharu). Strings arrive as UTF-8
// and go into the PDF in the document's encoding:
// - Windows-1252, for the built-in Helvetica fonts (WinAnsiEncoding), when
//   every string of the document fits it: French does;
// - UTF-8, for the embedded DejaVu fonts, as soon as one string does not
//   (Nguyễn, Łukasz): the whole document switches, so that nothing is
//   printed as "?" (docs/decisions.md, "Documents").
// fitsWindows1252, the test for one string, is declared in pdf_writer.h (it
// is public) and defined with these. Internal to the PDF writer.

#include <optional>
#include <string>
#include <string_view>

#include "invoices/pdf_writer.h"

namespace parcours::invoices::detail {

enum class TextEncoding { windows1252, utf8 };

// windows1252 when every string `document` prints fits Windows-1252, utf8
// otherwise. (The labels the writer adds itself, "N°", "Page 1 / 2",
// "N° TPS :", all fit.)
TextEncoding encodingFor(const PdfDocument& document);

// Encodes UTF-8 strings for the PDF's text operators. Control characters
// become spaces, except "\n" (a line break where the layout allows one).
// - windows1252: one byte per character. REQUIRES: the text fits
//   Windows-1252 (encodingFor said so).
// - utf8: any text; invalid UTF-8 and code points beyond the Basic
//   Multilingual Plane (libharu's UTF-8 encoder stops there) become U+FFFD.
class TextEncoder {
 public:
  explicit TextEncoder(TextEncoding encoding) : encoding_(encoding) {}

  TextEncoding encoding() const { return encoding_; }
  std::string operator()(std::string_view utf8) const;

 private:
  TextEncoding encoding_;
};

// `text` in Latin-1 (one byte per code point, as PDFDocEncoding reads it),
// or nothing when a character is outside U+0020..U+007E and U+00A0..U+00FF
// (controls included) or the UTF-8 is invalid.
std::optional<std::string> latin1(std::string_view text);

}  // namespace parcours::invoices::detail
