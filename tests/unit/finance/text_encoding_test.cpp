#include "finance/text_encoding.h"

#include <string>

#include <catch2/catch.hpp>

using namespace parcours::finance;

TEST_CASE("UTF-8 validity follows the standard's well-formed table") {
  CHECK(isValidUtf8(""));
  CHECK(isValidUtf8("D\xC3\xA9p\xC3\xB4t"));     // Dépôt
  CHECK(isValidUtf8("\xE2\x82\xAC 12"));         // € 12
  CHECK(isValidUtf8("\xF0\x9F\x92\xB0"));        // U+1F4B0
  CHECK_FALSE(isValidUtf8("D\xE9p\xF4t"));       // Windows-1252 Dépôt
  CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(isValidUtf8("\xE0\x80\xAF"));      // overlong
  CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(isValidUtf8("\xC3"));              // cut short
  CHECK_FALSE(isValidUtf8("\x80"));              // a lone continuation byte
}

TEST_CASE("the first line that is not UTF-8 is counted across LF, CRLF and CR") {
  CHECK(firstInvalidUtf8Line("a\nb") == 0);
  CHECK(firstInvalidUtf8Line("\xE9") == 1);
  CHECK(firstInvalidUtf8Line("a\r\nb\rc\nd\xE9") == 4);
}

TEST_CASE("Windows-1252 is read with its whole 0x80-0x9F table") {
  CHECK(windows1252ToUtf8("D\xE9p\xF4t") == "D\xC3\xA9p\xC3\xB4t");
  CHECK(windows1252ToUtf8("re\xE7u") == "re\xC3\xA7u");
  CHECK(windows1252ToUtf8("\x80") == "\xE2\x82\xAC");  // €
  CHECK(windows1252ToUtf8("\x84") == "\xE2\x80\x9E");  // „
  CHECK(windows1252ToUtf8("\x88") == "\xCB\x86");      // ˆ
  CHECK(windows1252ToUtf8("\x8E") == "\xC5\xBD");      // Ž
  CHECK(windows1252ToUtf8("\x92") == "\xE2\x80\x99");  // ’
  CHECK(windows1252ToUtf8("\x96") == "\xE2\x80\x93");  // –
  CHECK(windows1252ToUtf8("\x9C") == "\xC5\x93");      // œ
  CHECK(windows1252ToUtf8("\x9F") == "\xC5\xB8");      // Ÿ
  CHECK(windows1252ToUtf8("\xA0") == "\xC2\xA0");      // no-break space
  CHECK(windows1252ToUtf8("\xFF") == "\xC3\xBF");      // ÿ
  for (const char undefined : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'}) {
    CHECK(windows1252ToUtf8(std::string(1, undefined)) == "\xEF\xBF\xBD");
  }
}

TEST_CASE("every byte read as Windows-1252 gives valid UTF-8") {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all += static_cast<char>(byte);
  CHECK(isValidUtf8(windows1252ToUtf8(all)));
}

TEST_CASE("statement text: BOM stripped, UTF-8 kept, anything else read as Windows-1252") {
  CHECK(decodeStatementText("\xEF\xBB\xBF"
                            "D\xC3\xA9p\xC3\xB4t") == "D\xC3\xA9p\xC3\xB4t");
  CHECK(decodeStatementText("D\xC3\xA9p\xC3\xB4t") == "D\xC3\xA9p\xC3\xB4t");
  CHECK(decodeStatementText("D\xE9p\xF4t") == "D\xC3\xA9p\xC3\xB4t");
  CHECK(decodeStatementText("\xEF\xBB\xBF"
                            "D\xE9p\xF4t") == "D\xC3\xA9p\xC3\xB4t");
  CHECK(decodeStatementText("") == "");
}
