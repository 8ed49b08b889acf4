#include "finance/markup_scanner.h"

#include <cstdint>

#include "finance/statement_line.h"
#include "finance/statement_values.h"

namespace parcours::finance {
namespace {

constexpr std::size_t kMaxEntityLength = 12;  // "&#x10FFFF;" and the named ones fit
constexpr std::size_t kMaxNameLength = 64;

bool isLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
  return isLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
}
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void appendCodePoint(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::optional<std::uint32_t> numericEntity(std::string_view body) {
  const bool hex = !body.empty() && (body[0] == 'x' || body[0] == 'X');
  if (hex) body.remove_prefix(1);
  if (body.empty() || body.size() > 6) return std::nullopt;
  std::uint32_t code = 0;
  for (const char c : body) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return std::nullopt;
    code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
  }
  const bool valid = code > 0 && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
  return valid ? std::optional<std::uint32_t>(code) : std::nullopt;
}

// Walks the text once, counting lines.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::vector<MarkupToken> tokens() {
    while (at_ < text_.size()) {
      if (text_[at_] == '<' && startsMarkup()) {
        flushText();
        readMarkup();
      } else {
        if (!textStarted_ && !isSpace(text_[at_])) {
          textLine_ = line_;  // a text's line is that of its first visible character
          textStarted_ = true;
        }
        textBuffer_ += advance();
      }
    }
    flushText();
    return std::move(tokens_);
  }

 private:
  bool startsMarkup() const {
    if (at_ + 1 >= text_.size()) return true;  // a '<' at the very end: an unterminated tag
    const char next = text_[at_ + 1];
    return isLetter(next) || next == '/' || next == '?' || next == '!';
  }

  char advance() {
    const char c = text_[at_++];
    if (c == '\n' || (c == '\r' && (at_ >= text_.size() || text_[at_] != '\n'))) ++line_;
    return c;
  }

  bool lookingAt(std::string_view literal) const { return text_.substr(at_, literal.size()) == literal; }

  // Consumes up to and including `terminator`; returns what came before it.
  std::string until(std::string_view terminator, int startLine, std::string_view what) {
    const std::size_t end = text_.find(terminator, at_);
    if (end == std::string_view::npos) throw StatementError(startLine, std::string(what) + " is never closed");
    std::string inside;
    while (at_ < end) inside += advance();
    for (std::size_t i = 0; i < terminator.size(); ++i) advance();
    return inside;
  }

  void flushText() {
    const std::string decoded = decodeEntities(trimSpaces(textBuffer_));
    textBuffer_.clear();
    textStarted_ = false;
    if (decoded.empty()) return;
    MarkupToken token;
    token.kind = MarkupToken::Kind::text;
    token.line = textLine_;
    token.text = decoded;
    tokens_.push_back(std::move(token));
  }

  void readMarkup() {
    const int startLine = line_;
    if (lookingAt("<!--")) {
      until("-->", startLine, "a comment");
    } else if (lookingAt("<![CDATA[")) {
      at_ += 9;
      MarkupToken token;
      token.line = startLine;
      token.text = until("]]>", startLine, "a CDATA section");
      tokens_.push_back(std::move(token));
    } else if (lookingAt("<!")) {
      until(">", startLine, "a declaration");
    } else if (lookingAt("<?")) {
      at_ += 2;
      MarkupToken token;
      token.kind = MarkupToken::Kind::instruction;
      token.line = startLine;
      token.text = until("?>", startLine, "a processing instruction");
      tokens_.push_back(std::move(token));
    } else {
      readTag(startLine);
    }
  }

  void readTag(int startLine) {
    advance();  // '<'
    MarkupToken token;
    token.line = startLine;
    token.kind = MarkupToken::Kind::startTag;
    if (at_ < text_.size() && text_[at_] == '/') {
      token.kind = MarkupToken::Kind::endTag;
      advance();
    }
    token.name = readName(startLine);
    if (token.name.empty()) throw StatementError(startLine, "a tag has no name");
    while (true) {
      skipSpaces();
      if (at_ >= text_.size()) throw StatementError(startLine, "the tag <" + token.name + "> is never closed");
      const char c = text_[at_];
      if (c == '>') {
        advance();
        break;
      }
      if (c == '/' && at_ + 1 < text_.size() && text_[at_ + 1] == '>') {
        token.selfClosing = true;
        advance();
        advance();
        break;
      }
      if (!isLetter(c) || token.kind == MarkupToken::Kind::endTag) {
        const std::string what = c > ' ' && c < 127 ? "\"" + std::string(1, c) + "\"" : "a character";
        throw StatementError(line_, "unexpected " + what + " in the tag <" + token.name + ">");
      }
      token.attributes.push_back(readAttribute(token.name));
    }
    tokens_.push_back(std::move(token));
  }

  std::pair<std::string, std::string> readAttribute(const std::string& tagName) {
    const std::string name = readName(line_);
    skipSpaces();
    if (at_ >= text_.size() || text_[at_] != '=') {
      throw StatementError(line_, "the attribute " + name + " of <" + tagName + "> has no value");
    }
    advance();
    skipSpaces();
    if (at_ >= text_.size() || (text_[at_] != '"' && text_[at_] != '\'')) {
      throw StatementError(line_, "the attribute " + name + " of <" + tagName + "> is not quoted");
    }
    const char quote = advance();
    const int valueLine = line_;
    return {name, decodeEntities(until(std::string_view(&quote, 1), valueLine, "an attribute value"))};
  }

  // A tag or attribute name; names are short, so a long one is refused
  // (it also keeps error messages that quote names short).
  std::string readName(int startLine) {
    std::string name;
    while (at_ < text_.size() && isNameChar(text_[at_])) {
      if (name.size() == kMaxNameLength) throw StatementError(startLine, "a tag or attribute name is too long");
      name += advance();
    }
    return name;
  }

  void skipSpaces() {
    while (at_ < text_.size() && isSpace(text_[at_])) advance();
  }

  std::string_view text_;
  std::size_t at_ = 0;
  int line_ = 1;
  std::string textBuffer_;
  int textLine_ = 1;
  bool textStarted_ = false;
  std::vector<MarkupToken> tokens_;
};

}  // namespace

std::vector<MarkupToken> scanMarkup(std::string_view text) {
  return Scanner(text).tokens();
}

std::string decodeEntities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Entities are short: look for the ';' only nearby, so a text of many '&' stays linear.
    const std::size_t nearby = text[i] == '&' ? text.substr(i, kMaxEntityLength).find(';') : std::string_view::npos;
    const std::size_t end = nearby == std::string_view::npos ? nearby : i + nearby;
    if (end == std::string_view::npos) {
      out += text[i];
      continue;
    }
    const std::string_view body = text.substr(i + 1, end - i - 1);
    std::optional<std::uint32_t> code;
    if (body == "amp") code = '&';
    if (body == "lt") code = '<';
    if (body == "gt") code = '>';
    if (body == "quot") code = '"';
    if (body == "apos") code = '\'';
    if (!body.empty() && body[0] == '#') code = numericEntity(body.substr(1));
    if (!code) {
      out += text[i];
      continue;
    }
    appendCodePoint(out, *code);
    i = end;
  }
  return out;
}

std::string_view localName(std::string_view name) {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

const XmlElement* XmlElement::child(std::string_view wanted) const {
  for (const XmlElement& element : children) {
    if (element.name == wanted) return &element;
  }
  return nullptr;
}

const XmlElement* XmlElement::find(std::string_view path) const {
  const XmlElement* element = this;
  while (element != nullptr && !path.empty()) {
    const std::size_t slash = path.find('/');
    element = element->child(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return element;
}

std::string XmlElement::textAt(std::string_view path) const {
  const XmlElement* element = find(path);
  return element == nullptr ? std::string{} : element->text;
}

std::optional<std::string> XmlElement::attribute(std::string_view wanted) const {
  for (const auto& [name, value] : attributes) {
    if (localName(name) == wanted) return value;
  }
  return std::nullopt;
}

XmlElement buildXmlTree(const std::vector<MarkupToken>& tokens) {
  std::vector<XmlElement> open;
  std::vector<std::string> openNames;  // as written, to match end tags exactly
  std::optional<XmlElement> root;
  const auto close = [&](XmlElement element) {
    if (open.empty()) {
      root = std::move(element);
    } else {
      open.back().children.push_back(std::move(element));
    }
  };
  for (const MarkupToken& token : tokens) {
    if (token.kind == MarkupToken::Kind::instruction) continue;
    if (root) throw StatementError(token.line, "there is content after the document's root element");
    if (token.kind == MarkupToken::Kind::text) {
      if (open.empty()) throw StatementError(token.line, "there is text outside the document's root element");
      open.back().text += open.back().text.empty() ? token.text : " " + token.text;
    } else if (token.kind == MarkupToken::Kind::startTag) {
      if (static_cast<int>(open.size()) >= kMaxXmlDepth) throw StatementError(token.line, "elements nest too deep");
      XmlElement element{std::string(localName(token.name)), token.line, token.attributes, {}, {}};
      if (token.selfClosing) {
        close(std::move(element));
      } else {
        open.push_back(std::move(element));
        openNames.push_back(token.name);
      }
    } else {
      if (open.empty() || openNames.back() != token.name) {
        throw StatementError(token.line, "</" + token.name + "> closes no open element" +
                                             (open.empty() ? std::string{} : " (<" + openNames.back() + "> is open)"));
      }
      XmlElement element = std::move(open.back());
      open.pop_back();
      openNames.pop_back();
      close(std::move(element));
    }
  }
  if (!open.empty()) {
    throw StatementError(open.back().line, "<" + openNames.back() + "> is never closed");
  }
  if (!root) throw StatementError(1, "the document has no root element");
  return *root;
}

}  // namespace parcours::finance
