#include "finance/csv_profiles.h"

#include <catch2/catch.hpp>

#include "statement_test_support.h"

using namespace parcours::finance;
using namespace parcours::finance::testing;
using Catch::Matchers::Contains;

namespace {

// As AccèsD writes it: Windows-1252, CRLF, text quoted, amounts not.
const std::string kDesjardins =
    "\"815\",\"30123\",\"EOP\",\"2027/03/01\",1,\"Virement Interac re\xE7u / Marie "
    "Tremblay\",\"\",,150.00,,,,2150.00\r\n"
    "\"815\",\"30123\",\"EOP\",\"2027/03/02\",00002,\"Ch\xE8que no 147\",\"147\",325.00,,,,,1825.00\r\n"
    "\"815\",\"30123\",\"EOP\",\"2027/03/03\",1,\"D\xE9p\xF4t \"\"mobile\"\", Acc\xE8sD\",\"\",,80.00,,,,1905.00\r\n"
    "\r\n\r\n";

const std::string kRbcHeader =
    "\"Account Type\",\"Account Number\",\"Transaction Date\",\"Cheque Number\",\"Description 1\",\"Description 2\","
    "\"CAD$\",\"USD$\"\n";

std::string desjardinsLine(const std::string& date, const std::string& withdrawal, const std::string& deposit) {
  return "\"815\",\"30123\",\"EOP\",\"" + date + "\",1,\"Frais\",\"\"," + withdrawal + "," + deposit + ",,,,100.00\r\n";
}

}  // namespace

TEST_CASE("Desjardins: Windows-1252, no header, withdrawal and deposit columns") {
  const ParsedStatement statement = parseCsv(kDesjardins, desjardinsProfile());
  CHECK(statement.format == "desjardins");
  REQUIRE(statement.lines.size() == 3);
  const StatementLine& first = statement.lines[0];
  CHECK(first.sourceLine == 1);
  CHECK(first.account == "815-30123-EOP");
  CHECK(first.date == day(2027, 3, 1));
  CHECK(first.amountCents == 15000);
  CHECK(first.description == "Virement Interac re\xC3\xA7u / Marie Tremblay");
  CHECK(first.reference.empty());
  CHECK_FALSE(first.bankId.has_value());
  CHECK(first.sequence == "1");
  CHECK(statement.lines[1].amountCents == -32500);
  CHECK(statement.lines[1].reference == "147");
  CHECK(statement.lines[1].sequence == "2");
  CHECK(statement.lines[2].description == "D\xC3\xA9p\xC3\xB4t \"mobile\", Acc\xC3\xA8sD");
  CHECK(statement.lines[2].sourceLine == 3);
}

TEST_CASE("Desjardins: the same export in UTF-8 reads the same") {
  const ParsedStatement statement =
      parseCsv(desjardinsLine("2027/03/01", "", "12.00") +
                   "\"815\",\"30123\",\"EOP\",\"2027/03/01\",2,\"D\xC3\xA9p\xC3\xB4t\",\"\",,5.00\r\n",
               desjardinsProfile());
  REQUIRE(statement.lines.size() == 2);
  CHECK(statement.lines[1].description == "D\xC3\xA9p\xC3\xB4t");
  CHECK(statement.lines[1].amountCents == 500);
}

TEST_CASE("Desjardins refusals name the line") {
  const CsvProfile profile = desjardinsProfile();
  const std::string good = desjardinsLine("2027/03/01", "", "12.00");
  CHECK(refusalOf([&] { parseCsv(good + desjardinsLine("2027/02/30", "", "12.00"), profile); }).line == 2);
  CHECK(refusalOf([&] { parseCsv(good + desjardinsLine("01/03/2027", "", "12.00"), profile); }).line == 2);
  CHECK(refusalOf([&] { parseCsv(good + "\r\n" + desjardinsLine("2027/03/01", "", "\"12,00\""), profile); }).line == 3);
  CHECK(refusalOf([&] { parseCsv(good + desjardinsLine("2027/03/01", "", "abc"), profile); }).line == 2);
  const Refusal zero = refusalOf([&] { parseCsv(good + desjardinsLine("2027/03/01", "0.00", ""), profile); });
  CHECK(zero.line == 2);
  CHECK_THAT(zero.reason, Contains("zero"));
  const Refusal both = refusalOf([&] { parseCsv(desjardinsLine("2027/03/01", "1.00", "2.00"), profile); });
  CHECK(both.line == 1);
  CHECK_THAT(both.reason, Contains("both"));
  CHECK_THAT(refusalOf([&] { parseCsv(desjardinsLine("2027/03/01", "", ""), profile); }).reason, Contains("no amount"));
  const Refusal shortLine =
      refusalOf([&] { parseCsv(good + "\"815\",\"30123\",\"EOP\",\"2027/03/01\",1\r\n", profile); });
  CHECK(shortLine.line == 2);
  CHECK_THAT(shortLine.reason, Contains("columns"));
  CHECK(refusalOf([&] { parseCsv(good + "\"815\",\"unclosed\r\n\r\n", profile); }).line == 2);
}

TEST_CASE("a file without any transaction line is not a statement") {
  CHECK(refusalOf([] { parseCsv("", desjardinsProfile()); }).line == 1);
  CHECK(refusalOf([] { parseCsv("\r\n\r\n", desjardinsProfile()); }).line == 1);
  CHECK(refusalOf([] { parseCsv(kRbcHeader, rbcProfile()); }).line == 2);
  CHECK(refusalOf([] { parseCsv(kRbcHeader + "\n\n", rbcProfile()); }).line == 2);
}

TEST_CASE("binary garbage is refused, not crashed on") {
  std::string garbage;
  for (int i = 0; i < 600; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
  CHECK(refusalOf([&] { parseCsv(garbage, desjardinsProfile()); }).line >= 1);
  CHECK(refusalOf([&] { parseCsv(garbage, rbcProfile()); }).line >= 1);
}

TEST_CASE("RBC: header, signed CAD$, M/D/YYYY, two description columns") {
  const std::string file =
      kRbcHeader +
      "Chequing,01234-5012345,3/1/2027,,\"E-TRANSFER DEPOSIT\",\"JEAN-FRANCOIS  LEBLANC\",200.00,\n"
      "Chequing,01234-5012345,12/31/2027,148,\"CHEQUE 148\",\"\",-450.00,\n";
  const ParsedStatement statement = parseCsv(file, rbcProfile());
  CHECK(statement.format == "rbc");
  REQUIRE(statement.lines.size() == 2);
  CHECK(statement.lines[0].sourceLine == 2);
  CHECK(statement.lines[0].account == "01234-5012345");
  CHECK(statement.lines[0].date == day(2027, 3, 1));
  CHECK(statement.lines[0].amountCents == 20000);
  CHECK(statement.lines[0].description == "E-TRANSFER DEPOSIT JEAN-FRANCOIS LEBLANC");
  CHECK(statement.lines[1].date == day(2027, 12, 31));
  CHECK(statement.lines[1].amountCents == -45000);
  CHECK(statement.lines[1].reference == "148");
}

TEST_CASE("RBC: the header is compared without quotes, spaces or case; a wrong one is refused on line 1") {
  const std::string row = "Chequing,01234-5012345,3/1/2027,,\"X\",\"\",1.00,\n";
  CHECK(
      parseCsv(
          "account type, ACCOUNT NUMBER ,Transaction Date,Cheque Number,Description 1,Description 2,CAD$,USD$,\n" + row,
          rbcProfile())
          .lines.size() == 1);
  const Refusal wrong = refusalOf([&] { parseCsv("Date,Description,Amount\n" + row, rbcProfile()); });
  CHECK(wrong.line == 1);
  CHECK_THAT(wrong.reason, Contains("header"));
  CHECK(refusalOf([&] { parseCsv(row, rbcProfile()); }).line == 1);  // no header at all
  // Blank lines before the header are skipped like any other.
  CHECK(parseCsv("\n\n" + kRbcHeader + row, rbcProfile()).lines.front().sourceLine == 4);
}

TEST_CASE("RBC: a USD$-only line is refused; a line with no amount at all too") {
  const Refusal usd = refusalOf([&] {
    parseCsv(kRbcHeader +
                 "Chequing,01234-5012345,3/1/2027,,\"X\",\"\",1.00,\nUS "
                 "Chequing,01234-4000001,3/2/2027,,\"Y\",\"\",,-12.00\n",
             rbcProfile());
  });
  CHECK(usd.line == 3);
  CHECK_THAT(usd.reason, Contains("currency"));
  CHECK_THAT(refusalOf([&] { parseCsv(kRbcHeader + "Chequing,1,3/2/2027,,\"Y\",\"\",,\n", rbcProfile()); }).reason,
             Contains("no amount"));
}

TEST_CASE("a generic profile: semicolons, decimal comma, day first, Windows-1252") {
  CsvProfile profile;
  profile.name = "caisse-x";
  profile.format = "generic:caisse-x";
  profile.delimiter = ';';
  profile.headerRows = 1;
  profile.dateColumn = 0;
  profile.dateFormat = "DD/MM/YYYY";
  profile.decimalMark = ',';
  profile.encoding = CsvEncoding::windows1252;
  profile.amountColumn = 3;
  profile.descriptionColumns = {1, 2};
  profile.referenceColumns = {4};
  profile.accountColumns = {5};
  const std::string file =
      "Date;Op\xE9ration;D\xE9tails;Montant;R\xE9"
      "f\xE9rence;Compte\r\n"
      "01/03/2027;Virement;Luc B\xE9rubé;1 470,25;P9WC6FN-2-Z;06782-4471\r\n"
      "02/03/2027;Ch\xE8que;\"Loyer; avril\";-1 250,00;312;06782-4471\r\n";
  const ParsedStatement statement = parseCsv(file, profile);
  CHECK(statement.format == "generic:caisse-x");
  REQUIRE(statement.lines.size() == 2);
  CHECK(statement.lines[0].amountCents == 147025);
  CHECK(statement.lines[0].reference == "P9WC6FN-2-Z");
  CHECK(statement.lines[0].account == "06782-4471");
  CHECK(statement.lines[1].amountCents == -125000);
  CHECK(statement.lines[1].description == "Ch\xC3\xA8que Loyer; avril");
}

TEST_CASE("a UTF-8 profile refuses a file that is not UTF-8, on the offending line") {
  CsvProfile profile = desjardinsProfile();
  profile.encoding = CsvEncoding::utf8;
  const Refusal refusal = refusalOf([&] { parseCsv(kDesjardins, profile); });
  CHECK(refusal.line == 1);
  CHECK_THAT(refusal.reason, Contains("UTF-8"));
}
