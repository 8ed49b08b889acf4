#include "participants/text_rules.h"

#include <string>

#include <catch2/catch.hpp>

using namespace parcours::participants;

TEST_CASE("isValidUtf8 accepts well-formed text", "[text_rules]") {
  CHECK(isValidUtf8(""));
  CHECK(isValidUtf8("Robert'); DROP TABLE participants;--"));
  CHECK(isValidUtf8("Jean-François Côté"));
  CHECK(isValidUtf8("Nguyễn Łukasz"));
  CHECK(isValidUtf8("\xE2\x82\xAC"));          // €
  CHECK(isValidUtf8("\xF0\x9F\x98\x80"));      // U+1F600
  CHECK(isValidUtf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF, the last code point
  CHECK(isValidUtf8("\xED\x9F\xBF"));          // U+D7FF, just below the surrogates
  CHECK(isValidUtf8(std::string("a\0b", 3)));  // NUL is valid UTF-8 (refused as a control elsewhere)
}

TEST_CASE("isValidUtf8 refuses malformed text", "[text_rules]") {
  CHECK_FALSE(isValidUtf8("\xC3\x28"));          // bad continuation
  CHECK_FALSE(isValidUtf8("\xC3"));              // truncated
  CHECK_FALSE(isValidUtf8("\xE2\x82"));          // truncated
  CHECK_FALSE(isValidUtf8("\x80"));              // stray continuation
  CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(isValidUtf8("\xC1\xBF"));          // overlong
  CHECK_FALSE(isValidUtf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  CHECK_FALSE(isValidUtf8("\xF0\x80\x80\xAF"));  // overlong, 4 bytes
  CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(isValidUtf8("\xF5\x80\x80\x80"));
  CHECK_FALSE(isValidUtf8("\xFF"));
  CHECK_FALSE(isValidUtf8("abc\xE2\x82\x28"));  // bad third byte
}

TEST_CASE("codePoints counts characters, not bytes", "[text_rules]") {
  CHECK(codePoints("") == 0);
  CHECK(codePoints("abc") == 3);
  CHECK(codePoints("Côté") == 4);
  CHECK(codePoints("Nguyễn") == 6);
  CHECK(codePoints("\xF0\x9F\x98\x80") == 1);
}

TEST_CASE("trim removes surrounding ASCII whitespace only", "[text_rules]") {
  CHECK(trim("  Jean \t\r\n") == "Jean");
  CHECK(trim("Jean Paul") == "Jean Paul");
  CHECK(trim(" \n\t ").empty());
  CHECK(trim("").empty());
  CHECK(trim("\xC2\xA0Jean") == "\xC2\xA0Jean");  // no-break space kept
}

TEST_CASE("hasControlCharacters finds C0, DEL and C1", "[text_rules]") {
  CHECK_FALSE(hasControlCharacters("Jean-François", false));
  CHECK(hasControlCharacters(std::string("Jean\0Paul", 9), false));
  CHECK(hasControlCharacters("a\tb", false));
  CHECK(hasControlCharacters("a\rb", true));
  CHECK(hasControlCharacters("a\x7F", false));
  CHECK(hasControlCharacters("a\xC2\x85", false));  // U+0085 NEXT LINE
  CHECK_FALSE(hasControlCharacters("a\xC2\xA0", false));
  CHECK(hasControlCharacters("line\nline", false));
  CHECK_FALSE(hasControlCharacters("line\nline", true));
}
