#include "api/csv_writer.h"

#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "core/error.h"

using parcours::api::CsvWriter;
using parcours::api::centsAsDecimal;
using parcours::api::isPlainNumber;
using parcours::api::spreadsheetSafe;

namespace {

// The CSV of one text cell under a one-column header "c".
std::string oneText(std::string_view value) {
  CsvWriter w;
  w.header({"c"});
  w.row().text(value).end();
  return w.str().substr(std::string("c\r\n").size());
}

parcours::core::LocalDate day(int y, unsigned m, unsigned d) {
  return parcours::core::LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

}  // namespace

TEST_CASE("a header row then rows, comma separated, CRLF after each", "[csv]") {
  CsvWriter w;
  w.header({"date", "account", "debit", "credit", "count"});
  w.row().date(day(2027, 3, 1)).text("1100 Banque").cents(1234).cents(0).integer(3).end();
  w.row().date(day(2027, 12, 31)).text("4000").cents(-5).cents(100000000).integer(-42).end();
  CHECK(w.str() ==
        "date,account,debit,credit,count\r\n"
        "2027-03-01,1100 Banque,12.34,0.00,3\r\n"
        "2027-12-31,4000,-0.05,1000000.00,-42\r\n");
}

TEST_CASE("cents are decimals with a dot and two places", "[csv]") {
  CHECK(centsAsDecimal(0) == "0.00");
  CHECK(centsAsDecimal(5) == "0.05");
  CHECK(centsAsDecimal(-5) == "-0.05");
  CHECK(centsAsDecimal(-1234) == "-12.34");
  CHECK(centsAsDecimal(100) == "1.00");
  CHECK(centsAsDecimal(123456789) == "1234567.89");
  CHECK(centsAsDecimal(std::numeric_limits<std::int64_t>::min()) == "-92233720368547758.08");
  CHECK(centsAsDecimal(std::numeric_limits<std::int64_t>::max()) == "92233720368547758.07");
}

TEST_CASE("fields with a comma, a quote, CR or LF are quoted with quotes doubled", "[csv]") {
  CHECK(oneText("plain") == "plain\r\n");
  CHECK(oneText("Tremblay, Jean") == "\"Tremblay, Jean\"\r\n");
  CHECK(oneText("le \"bon\" chèque") == "\"le \"\"bon\"\" chèque\"\r\n");
  CHECK(oneText("two\nlines") == "\"two\nlines\"\r\n");
  CHECK(oneText("two\r\nlines") == "\"two\r\nlines\"\r\n");
  CHECK(oneText("a\ttab inside") == "a\ttab inside\r\n");  // a tab inside needs no quotes
  CHECK(oneText("\"") == "\"\"\"\"\r\n");
}

TEST_CASE("text that a spreadsheet would run as a formula gets a leading quote", "[csv][injection]") {
  CHECK(oneText("=1+2") == "'=1+2\r\n");
  CHECK(oneText("+33 1 23 45 67 89") == "'+33 1 23 45 67 89\r\n");
  CHECK(oneText("-x") == "'-x\r\n");
  CHECK(oneText("@SUM(A1)") == "'@SUM(A1)\r\n");
  CHECK(oneText("\tindented") == "'\tindented\r\n");
  CHECK(oneText("\r=1") == "\"'\r=1\"\r\n");                                  // escaped, then quoted (CR)
  CHECK(oneText("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
  CHECK(oneText("=1,2") == "\"'=1,2\"\r\n");
  CHECK(oneText("-") == "'-\r\n");
  CHECK(oneText("-Éloïse") == "'-Éloïse\r\n");
  // Not at the start: nothing to escape.
  CHECK(oneText("a=1+2") == "a=1+2\r\n");
  CHECK(oneText(" =1") == " =1\r\n");
}

TEST_CASE("a number stays a number, written as cents or as text", "[csv][injection]") {
  CsvWriter w;
  w.header({"as_cents", "as_text", "as_integer"});
  w.row().cents(-1234).text("-12.34").integer(-7).end();
  w.row().cents(5).text("+5").integer(0).end();
  CHECK(w.str() == "as_cents,as_text,as_integer\r\n-12.34,-12.34,-7\r\n0.05,+5,0\r\n");
  for (const char* number : {"-12.34", "+5", "0.05", "12.", "-.5", "42"}) CHECK(isPlainNumber(number));
  for (const char* text : {"", "-", "+", ".", "-1e5", "--1", "1.2.3", "-12,34", "+33 1", "0x1F", "-12.34 "}) {
    CHECK_FALSE(isPlainNumber(text));
  }
  CHECK(spreadsheetSafe("-1e5") == "'-1e5");  // not plain: a spreadsheet may still compute it
}

TEST_CASE("empty cells and empty text are empty fields", "[csv]") {
  CsvWriter w;
  w.header({"a", "b", "c"});
  w.row().empty().text("").empty().end();
  w.row().text("x").empty().integer(1).end();
  CHECK(w.str() == "a,b,c\r\n,,\r\nx,,1\r\n");
}

TEST_CASE("non-ASCII text is written as its UTF-8 bytes", "[csv]") {
  CHECK(oneText("Côté-Lévesque") == "Côté-Lévesque\r\n");
  CHECK(oneText("Nguyễn, Łukasz") == "\"Nguyễn, Łukasz\"\r\n");
  CHECK(oneText("Dépôt « 42 »") == "Dépôt « 42 »\r\n");
}

TEST_CASE("the header's names are text cells too", "[csv]") {
  CsvWriter w;
  w.header({"date", "=cmd", "a,b"});
  CHECK(w.take() == "date,'=cmd,\"a,b\"\r\n");
}

TEST_CASE("rows must match the header", "[csv]") {
  CsvWriter w;
  CHECK_THROWS_AS(w.row(), parcours::core::Error);  // no header yet
  w.header({"a", "b"});
  CHECK_THROWS_AS(w.header({"again"}), parcours::core::Error);
  CHECK_THROWS_AS(w.row().text("only one").end(), parcours::core::Error);
  CsvWriter v;
  v.header({"a"});
  CHECK_THROWS_AS(v.row().text("one").text("two"), parcours::core::Error);
}
