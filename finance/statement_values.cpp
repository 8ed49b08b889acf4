#include "finance/statement_values.h"

#include <vector>

namespace parcours::finance {
namespace {

constexpr int kMaxIntegerDigits = 13;

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The text with every no-break space (UTF-8 U+00A0, U+202F) made an ASCII space.
std::string plainSpaces(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 2) == "\xC2\xA0") {
      out += ' ';
      ++i;
    } else if (text.substr(i, 3) == "\xE2\x80\xAF") {
      out += ' ';
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Strips one enclosing pair of the given characters; true when it did.
bool stripEnclosing(std::string_view& text, char open, char close) {
  if (text.size() >= 2 && text.front() == open && text.back() == close) {
    text = trimSpaces(text.substr(1, text.size() - 2));
    return true;
  }
  return false;
}

// Digits of an integer part written with optional thousands separators in
// groups of three; nullopt when the grouping is wrong.
std::optional<std::string> integerDigits(std::string_view text, char decimalMark) {
  const std::string separators = decimalMark == '.' ? ", " : ". ";
  std::vector<std::string> groups(1);
  char separatorSeen = 0;
  for (const char c : text) {
    if (isDigit(c)) {
      groups.back() += c;
    } else if (separators.find(c) != std::string::npos) {
      if (separatorSeen != 0 && separatorSeen != c) return std::nullopt;
      separatorSeen = c;
      groups.emplace_back();
    } else {
      return std::nullopt;
    }
  }
  if (groups.front().empty() || groups.front().size() > (groups.size() > 1 ? 3u : 99u)) return std::nullopt;
  std::string digits = groups.front();
  for (std::size_t i = 1; i < groups.size(); ++i) {
    if (groups[i].size() != 3) return std::nullopt;
    digits += groups[i];
  }
  return digits;
}

std::optional<std::int64_t> unsignedCents(std::string_view text, char decimalMark) {
  const std::size_t mark = text.rfind(decimalMark);
  const std::string_view whole = mark == std::string_view::npos ? text : text.substr(0, mark);
  std::string_view fraction = mark == std::string_view::npos ? std::string_view{} : text.substr(mark + 1);
  if (mark != std::string_view::npos && fraction.empty()) return std::nullopt;
  for (const char c : fraction) {
    if (!isDigit(c)) return std::nullopt;
  }
  while (fraction.size() > 2 && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > 2) return std::nullopt;
  const std::optional<std::string> digits = integerDigits(whole, decimalMark);
  if (!digits) return std::nullopt;
  std::size_t first = digits->find_first_not_of('0');
  if (first != std::string::npos && digits->size() - first > kMaxIntegerDigits) return std::nullopt;
  std::int64_t cents = 0;
  for (const char c : *digits) cents = cents * 10 + (c - '0');
  cents *= 100;
  if (!fraction.empty()) cents += (fraction[0] - '0') * 10 + (fraction.size() > 1 ? fraction[1] - '0' : 0);
  return cents;
}

std::optional<int> readNumber(std::string_view text, std::size_t& at, std::size_t minDigits, std::size_t maxDigits) {
  int value = 0;
  std::size_t count = 0;
  while (at < text.size() && count < maxDigits && isDigit(text[at])) {
    value = value * 10 + (text[at] - '0');
    ++at;
    ++count;
  }
  if (count < minDigits) return std::nullopt;
  return value;
}

}  // namespace

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string collapseSpaces(std::string_view text) {
  std::string out;
  bool pendingSpace = false;
  for (const char c : trimSpaces(text)) {
    if (isSpace(c)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += c;
  }
  return out;
}

std::string joinNonEmpty(std::initializer_list<std::string_view> parts, std::string_view separator) {
  std::string out;
  for (const std::string_view part : parts) {
    const std::string_view trimmed = trimSpaces(part);
    if (trimmed.empty()) continue;
    if (!out.empty()) out += separator;
    out += trimmed;
  }
  return out;
}

std::string quotedExcerpt(std::string_view text) {
  if (text.size() <= kMaxExcerptBytes) return "\"" + std::string(text) + "\"";
  std::size_t cut = kMaxExcerptBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return "\"" + std::string(text.substr(0, cut)) + "\u2026\"";
}

std::optional<std::int64_t> parseAmountCents(std::string_view rawText, char decimalMark) {
  if (decimalMark != '.' && decimalMark != ',') return std::nullopt;
  const std::string spaced = plainSpaces(rawText);
  std::string_view text = trimSpaces(spaced);
  bool negative = stripEnclosing(text, '(', ')');
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    if (negative) return std::nullopt;
    negative = text.front() == '-';
    text = trimSpaces(text.substr(1));
  } else if (!text.empty() && text.back() == '-' && !negative) {
    negative = true;
    text = trimSpaces(text.substr(0, text.size() - 1));
  }
  if (!text.empty() && text.front() == '$') text = trimSpaces(text.substr(1));
  if (!text.empty() && text.back() == '$') text = trimSpaces(text.substr(0, text.size() - 1));
  if (text.empty()) return std::nullopt;
  const std::optional<std::int64_t> cents = unsignedCents(text, decimalMark);
  if (!cents) return std::nullopt;
  return negative ? -*cents : *cents;
}

bool isDatePattern(std::string_view pattern) {
  const auto count = [&](std::string_view token) {
    int n = 0;
    for (std::size_t at = pattern.find(token); at != std::string_view::npos;
         at = pattern.find(token, at + token.size()))
      ++n;
    return n;
  };
  const int years = count("YYYY"), months = count("M"), days = count("D");
  const bool monthOk = months == 1 || (months == 2 && count("MM") == 1);
  const bool dayOk = days == 1 || (days == 2 && count("DD") == 1);
  return years == 1 && count("Y") == 4 && monthOk && dayOk;
}

std::optional<core::LocalDate> parseDateWithPattern(std::string_view rawText, std::string_view pattern) {
  if (!isDatePattern(pattern)) return std::nullopt;
  const std::string_view text = trimSpaces(rawText);
  std::optional<int> year, month, day;
  std::size_t at = 0;
  const bool compact = pattern.find_first_not_of("YMD") == std::string_view::npos;
  for (std::size_t p = 0; p < pattern.size();) {
    const char token = pattern[p];
    std::size_t width = 1;
    while (p + width < pattern.size() && pattern[p + width] == token) ++width;
    if (token == 'Y' || token == 'M' || token == 'D') {
      const std::size_t minDigits = token == 'Y' ? 4 : (compact ? width : 1);
      const std::size_t maxDigits = token == 'Y' ? 4 : 2;
      const std::optional<int> value = readNumber(text, at, minDigits, maxDigits);
      if (!value) return std::nullopt;
      (token == 'Y' ? year : token == 'M' ? month : day) = value;
    } else {
      if (at >= text.size() || text[at] != token) return std::nullopt;
      ++at;
    }
    p += token == 'Y' || token == 'M' || token == 'D' ? width : 1;
  }
  if (at != text.size() || !year || !month || !day || *year < 1) return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                 date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  return core::LocalDate{ymd};
}

}  // namespace parcours::finance
