#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "invoices/line_breaker.h"

using namespace parcours::invoices;
using Lines = std::vector<std::string>;

namespace {

// Widths by character, as a font's table gives them; any character not in
// the table is 1 wide. Characters are UTF-8 or single bytes, as the text is.
struct WidthTable {
  TextBytes bytes = TextBytes::utf8;
  std::map<std::string, double> widths;
  mutable int calls = 0;

  double operator()(std::string_view text) const {
    ++calls;
    double total = 0;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t end = nextCharacter(text, i, bytes);
      const auto found = widths.find(std::string(text.substr(i, end - i)));
      total += found == widths.end() ? 1.0 : found->second;
      i = end;
    }
    return total;
  }
};

Lines breakUtf8(std::string_view text, double maxWidth) {
  return breakLines(text, maxWidth, WidthTable{}, TextBytes::utf8);
}

std::vector<std::string> wordsOf(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

TEST_CASE("lines break at spaces, as many words on a line as fit", "[line_breaker]") {
  CHECK(breakUtf8("aa bb cc dd", 5) == Lines{"aa bb", "cc dd"});
  CHECK(breakUtf8("aa bb cc dd", 4) == Lines{"aa", "bb", "cc", "dd"});
  CHECK(breakUtf8("aa bb cc dd", 100) == Lines{"aa bb cc dd"});
  // Runs of spaces count as one, spaces at the ends of a line are dropped.
  CHECK(breakUtf8("  aa   bb  ", 100) == Lines{"aa bb"});
  CHECK(breakUtf8("aa   bb cc", 5) == Lines{"aa bb", "cc"});
  // A tab or a hyphen is part of its word.
  CHECK(breakUtf8("abc-def\tgh ij", 10) == Lines{"abc-def\tgh", "ij"});
}

TEST_CASE("a line of exactly the width fits", "[line_breaker]") {
  // As a whole (one measure) and word by word (widths added up).
  CHECK(breakUtf8("aaa bbb", 7) == Lines{"aaa bbb"});
  CHECK(breakUtf8("aaa bbb", 6.99) == Lines{"aaa", "bbb"});
  CHECK(breakUtf8("aaa bbb\nc", 7) == Lines{"aaa bbb", "c"});
  CHECK(breakUtf8("aaa bbb ccc", 7) == Lines{"aaa bbb", "ccc"});
  CHECK(breakUtf8("abcdefg", 7) == Lines{"abcdefg"});
  // The space between words has its own width in the table.
  const WidthTable wideSpace{TextBytes::utf8, {{" ", 3}}};
  CHECK(breakLines("ab cd", 7, wideSpace, TextBytes::utf8) == Lines{"ab cd"});
  CHECK(breakLines("ab cd ef", 7, wideSpace, TextBytes::utf8) == Lines{"ab cd", "ef"});
  CHECK(breakLines("ab cd ef", 6, wideSpace, TextBytes::utf8) == Lines{"ab", "cd", "ef"});
}

TEST_CASE("a word longer than the line is cut where it overflows", "[line_breaker]") {
  CHECK(breakUtf8("abcdefghij", 4) == Lines{"abcd", "efgh", "ij"});
  CHECK(breakUtf8("xx abcdefghij yy", 5) == Lines{"xx", "abcde", "fghij", "yy"});
  // Its last piece starts a line that takes the words after it.
  CHECK(breakUtf8("abcdefg h i", 5) == Lines{"abcde", "fg h", "i"});
  // Every piece holds at least one character, however narrow the line.
  CHECK(breakUtf8("abc", 0.5) == Lines{"a", "b", "c"});
  // UTF-8 is cut between characters, never inside one.
  CHECK(breakUtf8("ééééé", 2) == Lines{"éé", "éé", "é"});
  CHECK(breakUtf8("Nguyễnnnn", 6) == Lines{"Nguyễn", "nnn"});
  // Windows-1252 bytes: one character each.
  const WidthTable single{TextBytes::single_byte, {}};
  CHECK(breakLines("\xE9\xE9\xE9", 2, single, TextBytes::single_byte) == Lines{"\xE9\xE9", "\xE9"});
  // Wide characters: the cut is where the width overflows, not a count.
  const WidthTable wide{TextBytes::utf8, {{"W", 3}}};
  CHECK(breakLines("WWiWiii", 4, wide, TextBytes::utf8) == Lines{"W", "Wi", "Wi", "ii"});
}

TEST_CASE("no-break spaces keep what they join on one line", "[line_breaker]") {
  // "1 234,56 $" with U+00A0: 10 characters, one word.
  CHECK(breakUtf8("Montant 1\u00A0234,56\u00A0$", 12) == Lines{"Montant", "1\u00A0234,56\u00A0$"});
  CHECK(breakUtf8("à 14\u00A0h 30", 6) == Lines{"à 14\u00A0h", "30"});
  // In Windows-1252 the no-break space is the byte 0xA0.
  const WidthTable single{TextBytes::single_byte, {}};
  CHECK(breakLines("Montant 1\xA0"
                   "234,56\xA0$",
                   12, single, TextBytes::single_byte) == Lines{"Montant",
                                                                "1\xA0"
                                                                "234,56\xA0$"});
}

TEST_CASE("empty text and empty lines", "[line_breaker]") {
  CHECK(breakUtf8("", 10) == Lines{""});
  CHECK(breakUtf8("", 0) == Lines{""});
  CHECK(breakUtf8("   ", 10) == Lines{""});
  CHECK(breakUtf8("\n", 10) == Lines{"", ""});
  CHECK(breakUtf8("a\n\nb", 10) == Lines{"a", "", "b"});
  CHECK(breakUtf8("a\n", 10) == Lines{"a", ""});
  CHECK(breakUtf8("aa bb\ncc", 100) == Lines{"aa bb", "cc"});
}

TEST_CASE("a line that fits is measured once", "[line_breaker]") {
  WidthTable table;
  const MeasureWidth width = [&table](std::string_view text) { return table(text); };
  CHECK(breakLines("Facture F-2027-00001", 100, width, TextBytes::utf8) == Lines{"Facture F-2027-00001"});
  CHECK(table.calls == 1);
}

TEST_CASE("French text breaks greedily, no line wider than the page, no word lost", "[line_breaker]") {
  const std::string text =
      "Les renseignements qu’il contient sont protégés par la Loi sur la protection des renseignements "
      "personnels dans le secteur privé. Montant dû : 1\u00A0234,56\u00A0$ au 14\u00A0décembre 2027, "
      "« à l’été » — déjudiciarisation.";
  // Proportional widths, roughly Helvetica's in em/10.
  const WidthTable helvetica{TextBytes::utf8,
                             {{" ", 2.8}, {"i", 2.2}, {"l", 2.2}, {"’", 2.2}, {"m", 8.3}, {"M", 8.3}, {"é", 5.6}}};
  for (const double maxWidth : {30.0, 55.5, 80.0, 123.4, 200.0}) {
    CAPTURE(maxWidth);
    const Lines lines = breakLines(text, maxWidth, helvetica, TextBytes::utf8);
    std::string joined;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      CHECK(helvetica(lines[k]) <= maxWidth);
      CHECK(lines[k].front() != ' ');
      CHECK(lines[k].back() != ' ');
      // Greedy: the next line's first word would not have fitted here.
      if (k + 1 < lines.size()) {
        const std::string next = wordsOf(lines[k + 1]).front();
        CHECK(helvetica(lines[k]) + helvetica(" ") + helvetica(next) > maxWidth);
      }
      joined += (k == 0 ? "" : " ") + lines[k];
    }
    CHECK(wordsOf(joined) == wordsOf(text));
  }
  const WidthTable table;
  CHECK(breakLines("Attestation de participation au programme", 20, table, TextBytes::utf8) ==
        Lines{"Attestation de", "participation au", "programme"});
}
