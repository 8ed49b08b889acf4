#include "identity/keyed_hash.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <Poco/Unicode.h>

#include "core/error.h"
#include "identity/secure_random.h"

namespace parcours::identity {

namespace {

// Base letters of the Latin blocks, one character per code point, generated
// from Unicode's decompositions (NFKD without combining marks) and, for
// letters without one (ø, đ, ł, ħ, ı, ŋ…), from the base letter in the
// character's name. '.' keeps the character (lower-cased); '*' looks it up in
// kLatinDigraphs.
constexpr std::string_view kLatinFromC0 =  // U+00C0..U+024F
    "aaaaaa*ceeeeiiiidnooooo.ouuuuy**"     // U+00C0
    "aaaaaa*ceeeeiiiidnooooo.ouuuuy*y"     // U+00E0
    "aaaaaaccccccccddddeeeeeeeeeegggg"     // U+0100
    "gggghhhhiiiiiiiiii**jjkkklllllll"     // U+0120
    "lllnnnnnnnnnoooooo**rrrrrrssssss"     // U+0140
    "ssttttttuuuuuuuuuuuuwwyyyzzzzzzs"     // U+0160
    "bbbb...ccdddd....ffg...ikkl..nno"     // U+0180
    "oo**pp.....ttttuu.vyyzz........."     // U+01A0
    "....*********aaiioouuuuuuuuuu.aa"     // U+01C0
    "aa**ggggkkoooo..j***gg*.nnaa**oo"     // U+01E0
    "aaaaeeeeiiiioooorrrruuuusstt..hh"     // U+0200
    "nd**zzaaeeooooooooyylntj**acclts"     // U+0220
    "z..bu.eejj.qrryy"                     // U+0240
    ;

constexpr std::string_view kLatinFrom1E00 =  // U+1E00..U+1EFF
    "aabbbbbbccddddddddddeeeeeeeeeeff"       // U+1E00
    "gghhhhhhhhhhiiiikkkkkkllllllllmm"       // U+1E20
    "mmmmnnnnnnnnoooooooopppprrrrrrrr"       // U+1E40
    "ssssssssssttttttttuuuuuuuuuuvvvv"       // U+1E60
    "wwwwwwwwwwxxxxyyzzzzzzhtwyasss*."       // U+1E80
    "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee"       // U+1EA0
    "eeeeeeeeiiiioooooooooooooooooooo"       // U+1EC0
    "oooouuuuuuuuuuuuuuyyyyyyyy....yy"       // U+1EE0
    ;

struct Digraph {
  char32_t codePoint;
  std::string_view base;
};

constexpr std::array<Digraph, 33> kLatinDigraphs{
    {{0x00C6, "ae"}, {0x00DE, "th"}, {0x00DF, "ss"}, {0x00E6, "ae"}, {0x00FE, "th"}, {0x0132, "ij"}, {0x0133, "ij"},
     {0x0152, "oe"}, {0x0153, "oe"}, {0x01A2, "oi"}, {0x01A3, "oi"}, {0x01C4, "dz"}, {0x01C5, "dz"}, {0x01C6, "dz"},
     {0x01C7, "lj"}, {0x01C8, "lj"}, {0x01C9, "lj"}, {0x01CA, "nj"}, {0x01CB, "nj"}, {0x01CC, "nj"}, {0x01E2, "ae"},
     {0x01E3, "ae"}, {0x01F1, "dz"}, {0x01F2, "dz"}, {0x01F3, "dz"}, {0x01F6, "hv"}, {0x01FC, "ae"}, {0x01FD, "ae"},
     {0x0222, "ou"}, {0x0223, "ou"}, {0x0238, "db"}, {0x0239, "qp"}, {0x1E9E, "ss"}}};

// The base letters of a Latin letter with diacritics, or empty when `cp` is
// not one.
std::string_view latinBase(char32_t cp) {
  std::string_view table;
  char32_t first = 0;
  if (cp >= 0xC0 && cp < 0xC0 + kLatinFromC0.size()) {
    table = kLatinFromC0;
    first = 0xC0;
  } else if (cp >= 0x1E00 && cp < 0x1E00 + kLatinFrom1E00.size()) {
    table = kLatinFrom1E00;
    first = 0x1E00;
  } else {
    return {};
  }
  const std::size_t index = cp - first;
  if (table[index] == '.') return {};
  if (table[index] != '*') return table.substr(index, 1);
  for (const auto& digraph : kLatinDigraphs) {
    if (digraph.codePoint == cp) return digraph.base;
  }
  return {};
}

// Separate name parts; each run of them becomes one space. (Fullwidth forms
// are mapped to ASCII before this test.)
constexpr std::array<char32_t, 18> kSeparators{
    ' ',    '\t',   '\n',   '\v',   '\f',   '\r',  // ASCII whitespace
    '-',    '\'',   '`',    '.',                   // hyphen, apostrophes, dot
    0x00A0, 0x1680, 0x202F, 0x205F, 0x3000,        // no-break and other spaces
    0x00B4, 0x02BC, 0x2027,                        // ´ and ʼ typed as apostrophes, hyphenation point
};

bool isSeparator(char32_t cp) {
  return std::find(kSeparators.begin(), kSeparators.end(), cp) != kSeparators.end() ||
         (cp >= 0x2000 && cp <= 0x200A) ||  // en quad … hair space
         (cp >= 0x2010 && cp <= 0x2015) ||  // hyphen … horizontal bar
         (cp >= 0x2018 && cp <= 0x201B);    // ‘ ’ ‚ ‛
}

bool isIgnorable(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) ||  // combining diacritical marks (decomposed input)
         (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F) ||  // more combining marks
         cp == 0x00AD ||                    // soft hyphen
         (cp >= 0x200B && cp <= 0x200D) ||  // zero-width space, non-joiner, joiner
         cp == 0x2060 || cp == 0xFEFF;      // word joiner, byte-order mark
}

[[noreturn]] void invalidUtf8() {
  throw core::Error(core::ErrorCode::bad_request, "text is not valid UTF-8");
}

// Decodes the code point at `text[i]` and advances `i`; strict (RFC 3629).
char32_t nextCodePoint(std::string_view text, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, minimum = 0x10000;
  } else {
    invalidUtf8();
  }
  if (text.size() - i < length) invalidUtf8();
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) invalidUtf8();
    cp = cp << 6 | (next & 0x3F);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) invalidUtf8();
  i += length;
  return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool isBirthDateShape(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (std::size_t i = 0; i < date.size(); ++i) {
    if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9')) return false;
  }
  return true;
}

constexpr std::size_t kHmacKeyBytes = 32;

}  // namespace

std::string normalizeForMatching(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pendingSpace = false;
  const auto append = [&](auto&& write) {
    if (pendingSpace && !out.empty()) out += ' ';
    pendingSpace = false;
    write();
  };
  std::size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp = nextCodePoint(utf8, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // fullwidth ASCII forms
    if (isSeparator(cp)) {
      pendingSpace = true;
    } else if (isIgnorable(cp)) {
      continue;
    } else if (cp < 0x80) {
      append([&] { out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp); });
    } else if (const std::string_view base = latinBase(cp); !base.empty()) {
      append([&] { out += base; });
    } else {
      append([&] { appendUtf8(out, static_cast<char32_t>(Poco::Unicode::toLower(static_cast<int>(cp)))); });
    }
  }
  return out;
}

KeyedHasher::KeyedHasher(std::string key) : key_(std::move(key)) {
  if (key_.size() != kHmacKeyBytes) {
    throw core::Error(core::ErrorCode::bad_request, "the name-matching key must be 32 bytes");
  }
}

KeyedHasher::~KeyedHasher() {
  OPENSSL_cleanse(key_.data(), key_.size());
}

std::string KeyedHasher::hash(std::string_view message) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length) == nullptr) {
    throw core::Error(core::ErrorCode::internal, "HMAC-SHA256 failed");
  }
  return hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string personLookupKey(const KeyedHasher& hasher, std::string_view givenName, std::string_view familyName,
                            std::string_view birthDate) {
  if (!isBirthDateShape(birthDate)) {
    throw core::Error(core::ErrorCode::bad_request, "the birth date must be YYYY-MM-DD", "birth_date");
  }
  return hasher.hash(normalizeForMatching(givenName) + '\x1f' + normalizeForMatching(familyName) + '\x1f' +
                     std::string(birthDate));
}

}  // namespace parcours::identity
