#include "finance/csv_reader.h"

#include <catch2/catch.hpp>

#include "finance/statement_line.h"

using namespace parcours::finance;
using Cells = std::vector<std::string>;

TEST_CASE("plain records with their starting lines") {
  const auto records = readCsvRecords("a,b,c\n1,2,3\n", ',');
  REQUIRE(records.size() == 2);
  CHECK(records[0] == CsvRecord{1, Cells{"a", "b", "c"}});
  CHECK(records[1] == CsvRecord{2, Cells{"1", "2", "3"}});
}

TEST_CASE("quoted fields: delimiters, doubled quotes, line ends inside") {
  const auto records = readCsvRecords("\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nnext,\"\"\r\n", ',');
  REQUIRE(records.size() == 2);
  CHECK(records[0].cells == Cells{"a,b", "say \"hi\"", "two\r\nlines"});
  CHECK(records[0].line == 1);
  CHECK(records[1] == CsvRecord{3, Cells{"next", ""}});
}

TEST_CASE("LF, CRLF and lone CR all end records; the last needs no line end") {
  const auto records = readCsvRecords("a\rb\r\nc\nd", ',');
  REQUIRE(records.size() == 4);
  CHECK(records[0] == CsvRecord{1, Cells{"a"}});
  CHECK(records[1] == CsvRecord{2, Cells{"b"}});
  CHECK(records[2] == CsvRecord{3, Cells{"c"}});
  CHECK(records[3] == CsvRecord{4, Cells{"d"}});
}

TEST_CASE("blank lines and lines of empty cells are skipped, trailing ones too, lines still counted") {
  const auto records = readCsvRecords("\r\na;b\r\n\r\n;;\r\n  \r\nc;d\r\n\r\n\r\n", ';');
  REQUIRE(records.size() == 2);
  CHECK(records[0] == CsvRecord{2, Cells{"a", "b"}});
  CHECK(records[1] == CsvRecord{6, Cells{"c", "d"}});
}

TEST_CASE("tab and semicolon delimiters; the other characters are ordinary") {
  CHECK(readCsvRecords("a,b\tc;d\n", '\t').front().cells == Cells{"a,b", "c;d"});
  CHECK(readCsvRecords("a,b\tc;d\n", ';').front().cells == Cells{"a,b\tc", "d"});
}

TEST_CASE("empty fields, a trailing delimiter and a quote inside an unquoted field") {
  CHECK(readCsvRecords("a,,c,\n", ',').front().cells == Cells{"a", "", "c", ""});
  CHECK(readCsvRecords("5\" pipe,x\n", ',').front().cells == Cells{"5\" pipe", "x"});
  CHECK(readCsvRecords("\"12\"34,x\n", ',').front().cells == Cells{"1234", "x"});
}

TEST_CASE("an unterminated quote is refused on the line where it opened") {
  try {
    readCsvRecords("a,b\nc,\"open\nstill\nopen", ',');
    FAIL("expected StatementError");
  } catch (const StatementError& error) {
    CHECK(error.line() == 2);
  }
}

TEST_CASE("no text, no records") {
  CHECK(readCsvRecords("", ',').empty());
  CHECK(readCsvRecords("\r\n\r\n", ',').empty());
}
