#pragma once
// A small tolerant scanner of tags and text, with the line of each token,
// shared by the OFX (SGML 1.x and XML 2.x) and camt.053 parsers. Poco's DOM
// gives no line numbers, and OFX 1.x is not XML at all; a statement error
// must name its line.
//
// scanMarkup(text) splits UTF-8 text into start tags (with attributes and
// whether they close themselves), end tags and text:
// - "<?...?>" (declarations, OFX processing instructions) are returned as
//   `instruction` tokens holding their inner text; "<!-- ... -->" and
//   "<!DOCTYPE ...>" are skipped; "<![CDATA[...]]>" is text, as it is;
// - a '<' not followed by a letter, '/', '?' or '!' is ordinary text;
// - text is entity-decoded (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;; an
//   unknown or malformed entity stays as written, as OFX 1.x banks write a
//   lone '&'), trimmed, and dropped when empty;
// - a tag, comment or CDATA section still open at the end of the text
//   throws StatementError naming the line where it started.
// Lines end at LF, CRLF or a lone CR.
//
// buildXmlTree(tokens) nests them as XML demands (every start tag closed by
// its own end tag, one root): otherwise StatementError naming the line.
// Element names lose their namespace prefix ("camt:Ntry" → "Ntry").

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parcours::finance {

struct MarkupToken {
  enum class Kind { startTag, endTag, text, instruction };
  Kind kind = Kind::text;
  int line = 0;
  std::string name;                                             // tag name as written (start and end tags)
  std::vector<std::pair<std::string, std::string>> attributes;  // values entity-decoded
  bool selfClosing = false;
  std::string text;  // text, or an instruction's inner text
};

std::vector<MarkupToken> scanMarkup(std::string_view text);

std::string decodeEntities(std::string_view text);
// "camt:Ntry" → "Ntry".
std::string_view localName(std::string_view name);

struct XmlElement {
  std::string name;  // local name
  int line = 0;
  std::vector<std::pair<std::string, std::string>> attributes;  // names as written
  std::string text;                                             // the element's own text parts, joined by a space
  std::vector<XmlElement> children;

  // The first child with this local name, or nullptr.
  const XmlElement* child(std::string_view localName) const;
  // Follows a path of child names ("BookgDt/Dt"); nullptr when a step is missing.
  const XmlElement* find(std::string_view path) const;
  // The text at `path`, or "" when absent.
  std::string textAt(std::string_view path) const;
  std::optional<std::string> attribute(std::string_view name) const;
};

// REQUIRES: nesting no deeper than kMaxXmlDepth, else StatementError.
inline constexpr int kMaxXmlDepth = 64;
XmlElement buildXmlTree(const std::vector<MarkupToken>& tokens);

}  // namespace parcours::finance
