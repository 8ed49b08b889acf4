#include "invoices/line_breaker.h"

#include <utility>

namespace parcours::invoices {

namespace {

// Cuts a word wider than the line where it overflows: every piece but the
// last becomes a line; the last one is returned, with its width, to start
// the next line.
std::string cutWord(std::string_view word, double maxWidth, const MeasureWidth& width, TextBytes bytes,
                    std::vector<std::string>& lines, double& lastWidth) {
  std::string last;
  for (std::size_t from = 0; from < word.size();) {
    std::size_t to = nextCharacter(word, from, bytes);
    double pieceWidth = width(word.substr(from, to - from));
    while (to < word.size()) {
      const std::size_t next = nextCharacter(word, to, bytes);
      const double nextWidth = width(word.substr(from, next - from));
      if (nextWidth > maxWidth) break;
      to = next;
      pieceWidth = nextWidth;
    }
    if (to < word.size()) {
      lines.emplace_back(word.substr(from, to - from));
    } else {
      last = word.substr(from, to - from);
      lastWidth = pieceWidth;
    }
    from = to;
  }
  return last;
}

// One line of input (no "\n"), word by word.
void breakParagraph(std::string_view text, double maxWidth, const MeasureWidth& width, TextBytes bytes,
                    std::vector<std::string>& lines) {
  const double space = width(" ");
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
    const double wordWidth = width(word);
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
    line = cutWord(word, maxWidth, width, bytes, lines, lineWidth);
  }
  lines.push_back(std::move(line));
}

// Most strings fit on one line: one measure instead of one per word.
bool fitsAsItIs(std::string_view text, double maxWidth, const MeasureWidth& width) {
  return text.find('\n') == std::string_view::npos && text.find("  ") == std::string_view::npos &&
         (text.empty() || (text.front() != ' ' && text.back() != ' ')) && width(text) <= maxWidth;
}

}  // namespace

std::size_t nextCharacter(std::string_view text, std::size_t i, TextBytes bytes) {
  ++i;
  if (bytes == TextBytes::utf8) {
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

std::vector<std::string> breakLines(std::string_view text, double maxWidth, const MeasureWidth& width,
                                    TextBytes bytes) {
  std::vector<std::string> lines;
  if (fitsAsItIs(text, maxWidth, width)) {
    lines.emplace_back(text);
    return lines;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t newline = text.find('\n', start);
    breakParagraph(text.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start),
                   maxWidth, width, bytes, lines);
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
  return lines;
}

}  // namespace parcours::invoices
