#include "finance/ofx_parser.h"

#include <catch2/catch.hpp>

#include "statement_test_support.h"

using namespace parcours::finance;
using namespace parcours::finance::testing;
using Catch::Matchers::Contains;

namespace {

const std::string kSgmlHeader =
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\n"
    "COMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n";  // lines 1-10

// An OFX 1.x statement around `transactions` (which start on line 21).
std::string sgml(const std::string& transactions) {
  return kSgmlHeader +
         "<OFX>\r\n<BANKMSGSRSV1>\r\n<STMTTRNRS>\r\n<TRNUID>0\r\n<STMTRS>\r\n<CURDEF>CAD\r\n"  // 11-16
         "<BANKACCTFROM>\r\n<BANKID>700000100\r\n<ACCTID>0123456\r\n</BANKACCTFROM>\r\n" +     // 17-20
         transactions +
         "<LEDGERBAL>\r\n<BALAMT>10.00\r\n<DTASOF>20270331\r\n</LEDGERBAL>\r\n"
         "</STMTRS>\r\n</STMTTRNRS>\r\n</BANKMSGSRSV1>\r\n</OFX>\r\n";
}

std::string sgmlTransaction(const std::string& fields) {
  return "<BANKTRANLIST>\r\n<STMTTRN>\r\n" + fields + "</STMTTRN>\r\n</BANKTRANLIST>\r\n";
}

}  // namespace

TEST_CASE("OFX 1.x SGML: leaves without end tags, Windows-1252, entities") {
  const std::string file = sgml(
      "<BANKTRANLIST>\r\n<DTSTART>20270301\r\n<DTEND>20270331\r\n"                                  // 21-23
      "<STMTTRN>\r\n<TRNTYPE>CREDIT\r\n<DTPOSTED>20270301120000.000[-5:EST]\r\n<TRNAMT>150.00\r\n"  // 24-27
      "<FITID>202703010001\r\n<NAME>Virement Interac re\xE7u\r\n<MEMO>Marie Tremblay &amp; fils P7K3Q9X-2-8\r\n"
      "</STMTTRN>\r\n"
      "<STMTTRN>\r\n<TRNTYPE>CHECK\r\n<DTPOSTED>20270302\r\n<TRNAMT>-325.00\r\n<FITID>202703020001\r\n"  // 32
      "<CHECKNUM>147\r\n<NAME>Ch\xE8que\r\n</STMTTRN>\r\n"
      "</BANKTRANLIST>\r\n");
  const ParsedStatement statement = parseOfx(file);
  CHECK(statement.format == "ofx");
  REQUIRE(statement.lines.size() == 2);
  const StatementLine& credit = statement.lines[0];
  CHECK(credit.sourceLine == 24);
  CHECK(credit.account == "700000100-0123456");
  CHECK(credit.date == day(2027, 3, 1));
  CHECK(credit.amountCents == 15000);
  CHECK(credit.bankId == "202703010001");
  CHECK(credit.description == "Virement Interac re\xC3\xA7u Marie Tremblay & fils P7K3Q9X-2-8");
  CHECK(credit.reference == "Marie Tremblay & fils P7K3Q9X-2-8");
  CHECK(credit.sequence.empty());
  const StatementLine& cheque = statement.lines[1];
  CHECK(cheque.sourceLine == 32);
  CHECK(cheque.amountCents == -32500);
  CHECK(cheque.reference == "147");
  CHECK(cheque.description == "Ch\xC3\xA8que");
}

TEST_CASE("OFX 2.x XML: closed leaves, UTF-8, QFX-style PAYEE and REFNUM, BANKACCTTO ignored for the account") {
  const std::string file =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n"
      "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>CAD</CURDEF>\n"
      "<BANKACCTFROM><BANKID>000300001</BANKID><BRANCHID>01234</BRANCHID><ACCTID>5012345</ACCTID></BANKACCTFROM>\n"
      "<BANKTRANLIST>\n"
      "<STMTTRN><TRNTYPE>XFER</TRNTYPE><DTPOSTED>20270310</DTPOSTED><TRNAMT>-20,50</TRNAMT>\n"  // line 6
      "<FITID> X1 </FITID><REFNUM>R-9</REFNUM><PAYEE><NAME>Fran\xC3\xA7ois</NAME><ADDR1>1 rue</ADDR1></PAYEE>\n"
      "<BANKACCTTO><BANKID>1</BANKID><ACCTID>999</ACCTID></BANKACCTTO><MEMO>Fran\xC3\xA7ois</MEMO></STMTTRN>\n"
      "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
  const ParsedStatement statement = parseOfx(file);
  REQUIRE(statement.lines.size() == 1);
  const StatementLine& line = statement.lines[0];
  CHECK(line.sourceLine == 6);
  CHECK(line.account == "000300001-01234-5012345");
  CHECK(line.amountCents == -2050);
  CHECK(line.bankId == "X1");
  CHECK(line.description == "Fran\xC3\xA7ois");  // MEMO repeating NAME is not doubled
  CHECK(line.reference == "R-9 Fran\xC3\xA7ois");
}

TEST_CASE("a Quicken QFX / QuickBooks QBO download (INTU.BID, credit card account) reads as OFX") {
  const std::string file =
      kSgmlHeader +
      "<OFX>\r\n<SIGNONMSGSRSV1>\r\n<SONRS>\r\n<INTU.BID>00024\r\n<INTU.USERID>demo\r\n</SONRS>\r\n"
      "</SIGNONMSGSRSV1>\r\n<CREDITCARDMSGSRSV1>\r\n<CCSTMTTRNRS>\r\n<CCSTMTRS>\r\n"
      "<CCACCTFROM>\r\n<ACCTID>4510********1234\r\n</CCACCTFROM>\r\n<BANKTRANLIST>\r\n"
      "<STMTTRN>\r\n<TRNTYPE>FEE\r\n<DTPOSTED>20270315000000[-5:EST]\r\n<TRNAMT>-1.50\r\n"
      "<FITID>CC1\r\n<NAME>TERMINAL FEES\r\n</STMTTRN>\r\n</BANKTRANLIST>\r\n</CCSTMTRS>\r\n"
      "</CCSTMTTRNRS>\r\n</CREDITCARDMSGSRSV1>\r\n</OFX>\r\n";
  const ParsedStatement statement = parseOfx(file);
  REQUIRE(statement.lines.size() == 1);
  CHECK(statement.lines[0].account == "4510********1234");
  CHECK(statement.lines[0].amountCents == -150);
  CHECK(statement.lines[0].sourceLine == 25);
  CHECK(statement.lines[0].bankId == "CC1");
}

TEST_CASE("an OFX transaction missing its date or amount is refused on its own line") {
  const Refusal noDate = refusalOf([] { parseOfx(sgml(sgmlTransaction("<TRNAMT>1.00\r\n<FITID>1\r\n"))); });
  CHECK(noDate.line == 22);
  CHECK_THAT(noDate.reason, Contains("DTPOSTED"));
  const Refusal noAmount = refusalOf([] { parseOfx(sgml(sgmlTransaction("<DTPOSTED>20270301\r\n"))); });
  CHECK(noAmount.line == 22);
  CHECK_THAT(noAmount.reason, Contains("TRNAMT"));
  CHECK(refusalOf([] { parseOfx(sgml(sgmlTransaction("<DTPOSTED>20270231\r\n<TRNAMT>1.00\r\n"))); }).line == 22);
  CHECK(refusalOf([] { parseOfx(sgml(sgmlTransaction("<DTPOSTED>2027-03-01\r\n<TRNAMT>1.00\r\n"))); }).line == 22);
  CHECK(refusalOf([] { parseOfx(sgml(sgmlTransaction("<DTPOSTED>20270301\r\n<TRNAMT>1.0.0\r\n"))); }).line == 22);
  const Refusal zero = refusalOf([] { parseOfx(sgml(sgmlTransaction("<DTPOSTED>20270301\r\n<TRNAMT>0.00\r\n"))); });
  CHECK(zero.line == 22);
  CHECK_THAT(zero.reason, Contains("zero"));
}

TEST_CASE("files that are not OFX statements") {
  const Refusal html = refusalOf([] {
    parseOfx(
        "<!DOCTYPE html>\n<html><head><title>Session expired</title></head>\n<body><p>Please sign in again &amp; "
        "retry.</p></body></html>\n");
  });
  CHECK(html.line == 1);
  CHECK_THAT(html.reason, Contains("<OFX>"));
  CHECK(refusalOf([] { parseOfx(""); }).line == 1);
  CHECK(refusalOf([] { parseOfx("Date,Description,Amount\n2027-03-01,X,1.00\n"); }).line == 1);
  const Refusal empty = refusalOf([] { parseOfx(sgml("<BANKTRANLIST>\r\n</BANKTRANLIST>\r\n")); });
  CHECK(empty.line == 1);
  CHECK_THAT(empty.reason, Contains("STMTTRN"));
  const std::string whole = sgml(sgmlTransaction("<DTPOSTED>20270301\r\n<TRNAMT>1.00\r\n"));
  const Refusal cut = refusalOf([&] { parseOfx(whole.substr(0, whole.find("</STMTRS>"))); });
  CHECK_THAT(cut.reason, Contains("</OFX>"));
  CHECK(refusalOf([] { parseOfx("<OFX><STMTTRN><DTPOSTED>20270301<TRNAMT>1.00</OFX>"); }).line == 1);
  CHECK(refusalOf([] { parseOfx(std::string("\x00\x01\x02\xFF\xFE\x89PNG\r\n\x1A\n", 14)); }).line == 1);
  const Refusal unclosedTag = refusalOf([&] { parseOfx(kSgmlHeader + "<OFX>\r\n<STMTTRN\r\n"); });
  CHECK(unclosedTag.line == 12);
}
