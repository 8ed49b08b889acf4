#include "invoices/pdf_text_encoding.h"

#include <Poco/Windows1252Encoding.h>

#include <algorithm>
#include <functional>
#include <type_traits>
#include <variant>

namespace parcours::invoices {

namespace {

// Poco's table of Windows-1252, read only (convert is const).
const Poco::Windows1252Encoding& windows1252Table() {
  static const Poco::Windows1252Encoding table;
  return table;
}

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

// ASCII controls never occur inside a UTF-8 sequence: a byte-wise pass is
// enough (the text is known to be valid and to fit Windows-1252).
std::string withoutControls(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n') || byte == 0x7F) c = ' ';
  }
  return out;
}

// libharu's UTF-8 encoder covers the Basic Multilingual Plane only;
// anything else (and invalid UTF-8) prints as U+FFFD.
std::string repairedUtf8(std::string_view text) {
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

// Valid UTF-8 that fits Windows-1252, in Windows-1252 bytes.
std::string toWindows1252(std::string clean) {
  // ASCII is the same in Windows-1252: most strings need no conversion.
  if (std::all_of(clean.begin(), clean.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return clean;
  }
  // Poco's Windows-1252 table, one code point at a time. Poco::TextConverter
  // gives the same bytes, but through two virtual calls for every
  // character, ASCII included: ~160 instructions a character, 9 % of a
  // whole render (callgrind), which took the bench's ratio to bare libharu
  // from 0.65 down to 0.59.
  const Poco::Windows1252Encoding& table = windows1252Table();
  std::string bytes;
  bytes.reserve(clean.size());
  for (std::size_t i = 0; i < clean.size();) {
    const auto lead = static_cast<unsigned char>(clean[i]);
    if (lead < 0x80) {
      bytes += clean[i++];
      continue;
    }
    unsigned char byte = '?';  // not reached: the document fits Windows-1252
    table.convert(static_cast<int>(decodeUtf8(clean, i)), &byte, 1);
    bytes += static_cast<char>(byte);
  }
  return bytes;
}

// Every string the document prints.
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

}  // namespace

bool fitsWindows1252(std::string_view text) {
  const Poco::Windows1252Encoding& table = windows1252Table();
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
    if (table.convert(static_cast<int>(cp), &byte, 1) != 1) return false;
  }
  return true;
}

namespace detail {

TextEncoding encodingFor(const PdfDocument& document) {
  bool fits = true;
  forEachString(document, [&](std::string_view text) {
    if (fits && !fitsWindows1252(text)) fits = false;
  });
  return fits ? TextEncoding::windows1252 : TextEncoding::utf8;
}

std::string TextEncoder::operator()(std::string_view utf8) const {
  if (encoding_ == TextEncoding::utf8) return repairedUtf8(utf8);
  return toWindows1252(withoutControls(utf8));
}

std::optional<std::string> latin1(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const long cp = decodeUtf8(text, i);
    if (cp < 0x20 || cp > 0xFF || (cp >= 0x7F && cp < 0xA0)) return std::nullopt;
  }
  std::string bytes;
  for (std::size_t i = 0; i < text.size();) bytes += static_cast<char>(decodeUtf8(text, i));
  return bytes;
}

}  // namespace detail

}  // namespace parcours::invoices
