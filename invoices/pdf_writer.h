#pragma once
// A small page-layout engine over libharu for Parcours' documents: a model of
// what to print (PdfDocument) in, the PDF's bytes out.
//
// Deterministic: the same model always gives the same bytes — no clock, no
// randomness; the PDF's creation and modification dates are the model's
// `issuedAt`. (A password-protected rendering is the exception: libharu
// derives the file ID from the clock. It is made at send time, never stored.)
//
// Text is UTF-8. When every string of a document fits Windows-1252, the
// built-in Helvetica fonts (WinAnsiEncoding) are used: nothing is embedded
// and a page costs well under a millisecond. Otherwise the whole document
// switches to DejaVu Sans (fonts-dejavu-core), embedded as a subset
// (≈180 KB), so that a name such as "Nguyễn Łukasz" is never printed as "?".
//
// Errors (a font or logo that cannot be read, a libharu failure) throw
// core::Error(internal, "PDF: …"); libharu never aborts the process.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/money.h"
#include "core/time.h"

namespace parcours::invoices {

enum class PageSize { letter, a4 };  // Letter (8.5 × 11 in) is the Québec default

// The organisation's stationery, from configuration.
struct Letterhead {
  std::string organisation;
  std::vector<std::string> addressLines;
  std::optional<std::string> gstNumber;  // printed as "N° TPS : …" / "GST No.: …"
  std::optional<std::string> qstNumber;
  std::string footer;                      // printed at the foot of every page
  std::optional<std::string> logoPngPath;  // drawn at the top left, at most 48 pt high
  PageSize pageSize = PageSize::letter;
};

enum class Align { left, right };

struct TableColumn {
  std::string header;
  double weight = 1;  // the column's share of the table's width
  Align align = Align::left;
};

// Cells wrap on word boundaries (a word longer than its column is cut);
// a "\n" in a cell starts a new line. The header row is repeated at the top
// of every page the table runs onto.
struct Table {
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // REQUIRES: one cell per column
};

struct Heading {
  std::string text;
};
// Label / value rows ("Code du participant   P-7K3Q9X").
struct Facts {
  std::vector<std::pair<std::string, std::string>> rows;
};
struct TotalLine {
  std::string label;
  std::string value;
  bool emphasis = false;  // bold, with a rule above (the grand total)
};
// Label / amount rows aligned on the right of the page.
struct Totals {
  std::vector<TotalLine> lines;
};
// Wraps to the page's width; "\n" starts a new line.
struct Paragraph {
  std::string text;
};
// A line to sign on, with these lines under it.
struct Signature {
  std::vector<std::string> lines;
};

using Block = std::variant<Heading, Facts, Table, Totals, Paragraph, Signature>;

struct PdfMargins {
  double top = 54;  // points (1/72 in)
  double right = 54;
  double bottom = 48;
  double left = 54;
};

struct PdfDocument {
  core::Language language = core::Language::fr;  // of the labels the writer adds ("N°", "Page 1 / 2")
  Letterhead letterhead;
  PdfMargins margins;
  std::string title;                   // "Facture"
  std::string number;                  // "F-2027-00001"; empty: no number line
  std::string date;                    // as printed: "1er mars 2027"; empty: no date line
  std::string recipientLabel;          // "Facturé à"
  std::vector<std::string> recipient;  // name (printed bold), then address lines
  std::vector<Block> blocks;
  core::Instant issuedAt{};  // the PDF's creation and modification dates
};

struct PdfProtection {
  // REQUIRES: 1..32 bytes each (libharu pads or cuts passwords to 32 bytes).
  // An empty owner password is replaced by a random one: nothing is
  // restricted, so nobody needs it.
  std::string userPassword;
  std::string ownerPassword;
};

std::string renderPdf(const PdfDocument& document);

// The same document, encrypted so that a reader asks for the user password.
// libharu only offers RC4 (128-bit key, revision 3), a cipher broken for
// years: this keeps a mailed copy from casual eyes, nothing more.
std::string renderPdf(const PdfDocument& document, const PdfProtection& protection);

// Whether UTF-8 `text` can be printed with the built-in fonts (every code
// point has a Windows-1252 byte); false on invalid UTF-8.
bool fitsWindows1252(std::string_view text);

}  // namespace parcours::invoices
