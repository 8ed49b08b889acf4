#include "participants/text_rules.h"

namespace parcours::participants {

namespace {

bool isContinuation(unsigned char byte) noexcept {
  return (byte & 0xC0U) == 0x80U;
}

bool isAsciiSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

// Follows the table of well-formed byte sequences in Unicode 15, §3.9
// (Table 3-7): the second byte's range depends on the first so that
// overlong forms, surrogates and values above U+10FFFF are all refused.
bool isValidUtf8(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80U) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80U;
    unsigned char high = 0xBFU;
    if (b0 >= 0xC2U && b0 <= 0xDFU) {
      length = 2;
    } else if (b0 >= 0xE0U && b0 <= 0xEFU) {
      length = 3;
      if (b0 == 0xE0U) low = 0xA0U;   // overlong below U+0800
      if (b0 == 0xEDU) high = 0x9FU;  // surrogates U+D800..U+DFFF
    } else if (b0 >= 0xF0U && b0 <= 0xF4U) {
      length = 4;
      if (b0 == 0xF0U) low = 0x90U;   // overlong below U+10000
      if (b0 == 0xF4U) high = 0x8FU;  // above U+10FFFF
    } else {
      return false;  // continuation byte first, C0/C1 overlong lead, or F5..FF
    }
    if (n - i < length) return false;
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    if (b1 < low || b1 > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (!isContinuation(static_cast<unsigned char>(text[i + k]))) return false;
    }
    i += length;
  }
  return true;
}

std::size_t codePoints(std::string_view text) noexcept {
  std::size_t count = 0;
  for (const char c : text) {
    if (!isContinuation(static_cast<unsigned char>(c))) ++count;
  }
  return count;
}

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && isAsciiSpace(text[begin])) ++begin;
  while (end > begin && isAsciiSpace(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

bool hasControlCharacters(std::string_view text, bool allowNewline) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      if (!allowNewline) return true;
      continue;
    }
    if (byte < 0x20U || byte == 0x7FU) return true;
    // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
    if (byte == 0xC2U && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80U && next <= 0x9FU) return true;
    }
  }
  return false;
}

}  // namespace parcours::participants
