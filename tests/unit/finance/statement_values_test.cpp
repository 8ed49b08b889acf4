#include "finance/statement_values.h"

#include <catch2/catch.hpp>

using namespace parcours::finance;
using parcours::core::LocalDate;

namespace {
LocalDate day(int y, unsigned m, unsigned d) {
  return LocalDate{date::year{y} / date::month{m} / date::day{d}};
}
}  // namespace

TEST_CASE("amounts with a decimal point, as English exports write them") {
  CHECK(parseAmountCents("45.00", '.') == 4500);
  CHECK(parseAmountCents("-45.00", '.') == -4500);
  CHECK(parseAmountCents("+45.5", '.') == 4550);
  CHECK(parseAmountCents(" 45 ", '.') == 4500);
  CHECK(parseAmountCents("1,234.56", '.') == 123456);
  CHECK(parseAmountCents("1 234.56", '.') == 123456);
  CHECK(parseAmountCents("1,234,567.89", '.') == 123456789);
  CHECK(parseAmountCents("(45.00)", '.') == -4500);
  CHECK(parseAmountCents("45.00-", '.') == -4500);
  CHECK(parseAmountCents("$45.00", '.') == 4500);
  CHECK(parseAmountCents("-$45.00", '.') == -4500);
  CHECK(parseAmountCents("45.5000", '.') == 4550);
  CHECK(parseAmountCents("0.00", '.') == 0);
}

TEST_CASE("amounts with a decimal comma, as French exports write them") {
  CHECK(parseAmountCents("45,00", ',') == 4500);
  CHECK(parseAmountCents("-1 234,56", ',') == -123456);
  CHECK(parseAmountCents("1\xC2\xA0"
                         "234,56",
                         ',') == 123456);  // U+00A0
  CHECK(parseAmountCents("1\xE2\x80\xAF"
                         "234,56 $",
                         ',') == 123456);  // U+202F
  CHECK(parseAmountCents("1.234,56", ',') == 123456);
}

TEST_CASE("text that is not an amount") {
  for (const char* text : {"", "-", "abc", "1,23", "12.345.6", "45.001", "45.", ".50", "--45", "(-45)", "1,2345.00",
                           "1, 234.00", "12 34", "45.00$$", "1e3", "99999999999999.00"}) {
    INFO(text);
    CHECK_FALSE(parseAmountCents(text, '.').has_value());
  }
  CHECK_FALSE(parseAmountCents("45.00", ',').has_value());  // a point groups thousands by three with ','
  CHECK_FALSE(parseAmountCents("1,234.56", ',').has_value());
  CHECK_FALSE(parseAmountCents("45", ';').has_value());
}

TEST_CASE("dates by pattern") {
  CHECK(parseDateWithPattern("2027/03/01", "YYYY/MM/DD") == day(2027, 3, 1));
  CHECK(parseDateWithPattern("2027-03-01", "YYYY-MM-DD") == day(2027, 3, 1));
  CHECK(parseDateWithPattern("01/03/2027", "DD/MM/YYYY") == day(2027, 3, 1));
  CHECK(parseDateWithPattern("03/01/2027", "MM/DD/YYYY") == day(2027, 3, 1));
  CHECK(parseDateWithPattern("3/1/2027", "M/D/YYYY") == day(2027, 3, 1));
  CHECK(parseDateWithPattern("3/1/2027", "MM/DD/YYYY") == day(2027, 3, 1));
  CHECK(parseDateWithPattern("12/31/2027", "M/D/YYYY") == day(2027, 12, 31));
  CHECK(parseDateWithPattern("20270301", "YYYYMMDD") == day(2027, 3, 1));
  CHECK(parseDateWithPattern(" 2028/02/29 ", "YYYY/MM/DD") == day(2028, 2, 29));
}

TEST_CASE("text that is not a date in the pattern") {
  CHECK_FALSE(parseDateWithPattern("2027/02/29", "YYYY/MM/DD"));
  CHECK_FALSE(parseDateWithPattern("2027-03-01", "YYYY/MM/DD"));
  CHECK_FALSE(parseDateWithPattern("2027/13/01", "YYYY/MM/DD"));
  CHECK_FALSE(parseDateWithPattern("2027/03/01x", "YYYY/MM/DD"));
  CHECK_FALSE(parseDateWithPattern("27/03/01", "YYYY/MM/DD"));
  CHECK_FALSE(parseDateWithPattern("2027031", "YYYYMMDD"));
  CHECK_FALSE(parseDateWithPattern("", "YYYY/MM/DD"));
  CHECK_FALSE(parseDateWithPattern("2027/03/01", "YYYY/MM"));
}

TEST_CASE("date patterns must name year, month and day once") {
  CHECK(isDatePattern("YYYY/MM/DD"));
  CHECK(isDatePattern("M/D/YYYY"));
  CHECK(isDatePattern("YYYYMMDD"));
  CHECK_FALSE(isDatePattern("YY/MM/DD"));
  CHECK_FALSE(isDatePattern("YYYY/MM"));
  CHECK_FALSE(isDatePattern("YYYY/MMM/DD"));
  CHECK_FALSE(isDatePattern("YYYY/MM/DD/DD"));
}

TEST_CASE("error messages quote at most 40 bytes, cut between characters") {
  CHECK(quotedExcerpt("12,3x") == "\"12,3x\"");
  CHECK(quotedExcerpt(std::string(40, 'a')) == "\"" + std::string(40, 'a') + "\"");
  CHECK(quotedExcerpt(std::string(41, 'a')) == "\"" + std::string(40, 'a') + "\u2026\"");
  CHECK(quotedExcerpt(std::string(39, 'a') + "\xC3\xA9zzz") == "\"" + std::string(39, 'a') + "\u2026\"");
}

TEST_CASE("spaces are trimmed and collapsed; empty parts are left out of a join") {
  CHECK(trimSpaces("  a b \r\n") == "a b");
  CHECK(collapseSpaces("  a   b\t c ") == "a b c");
  CHECK(joinNonEmpty({" a ", "", "  ", "b"}) == "a b");
  CHECK(joinNonEmpty({"815", "30123", "EOP"}, "-") == "815-30123-EOP");
}
