#include "finance/camt053_parser.h"

#include <catch2/catch.hpp>

#include "statement_test_support.h"

using namespace parcours::finance;
using namespace parcours::finance::testing;
using Catch::Matchers::Contains;

namespace {

// A camt.053.001.02 document around `entries`, which start on line 6.
std::string camt(const std::string& entries, const std::string& account = "<Othr><Id>01234-5012345</Id></Othr>") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
         "<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>\n"
         "<Stmt><Id>S1</Id>\n"
         "<Acct><Id>" +
         account + "</Id></Acct>\n" + entries + "</Stmt>\n</BkToCstmrStmt>\n</Document>\n";
}

std::string entry(const std::string& amount, const std::string& indicator, const std::string& rest) {
  return "<Ntry>\n<Amt Ccy=\"CAD\">" + amount + "</Amt><CdtDbtInd>" + indicator + "</CdtDbtInd>\n" + rest + "</Ntry>\n";
}

}  // namespace

TEST_CASE("camt.053: credit with remittance, debtor, servicer reference and entry reference") {
  const std::string file = camt(entry("200.00", "CRDT",
                                      "<BookgDt><Dt>2027-03-01</Dt></BookgDt><NtryRef>7</NtryRef>\n"
                                      "<AcctSvcrRef>CA001</AcctSvcrRef>\n"
                                      "<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\n"
                                      "<RltdPties><Dbtr><Nm>Jean-Fran\xC3\xA7ois  Leblanc</Nm></Dbtr>"
                                      "<Cdtr><Nm>Organisme</Nm></Cdtr></RltdPties>\n"
                                      "<RmtInf><Ustrd>P4HMR2T-1-S</Ustrd><Ustrd>mars &amp; avril</Ustrd></RmtInf>"
                                      "</TxDtls></NtryDtls>\n"
                                      "<AddtlNtryInf>Virement Interac re\xC3\xA7u</AddtlNtryInf>\n"));
  const ParsedStatement statement = parseCamt053(file);
  CHECK(statement.format == "camt053");
  REQUIRE(statement.lines.size() == 1);
  const StatementLine& line = statement.lines[0];
  CHECK(line.sourceLine == 6);
  CHECK(line.account == "01234-5012345");
  CHECK(line.date == day(2027, 3, 1));
  CHECK(line.amountCents == 20000);
  CHECK(line.bankId == "CA001");
  CHECK(line.sequence == "7");
  CHECK(line.reference == "P4HMR2T-1-S mars & avril");
  CHECK(line.description == "Jean-Fran\xC3\xA7ois Leblanc Virement Interac re\xC3\xA7u");
}

TEST_CASE("camt.053: a debit names the creditor; DtTm and ValDt dates; TxDtls servicer reference") {
  const std::string file =
      camt(entry("450.00", "DBIT",
                 "<BookgDt><DtTm>2027-03-02T10:15:00-05:00</DtTm></BookgDt>\n"
                 "<NtryDtls><TxDtls><Refs><AcctSvcrRef>TX-9</AcctSvcrRef><EndToEndId>E2E-1</EndToEndId></Refs>"
                 "<RltdPties><Dbtr><Nm>Organisme</Nm></Dbtr><Cdtr><Nm>Fournitures Laval</Nm></Cdtr></RltdPties>"
                 "</TxDtls></NtryDtls>\n") +
               entry("4.00", "DBIT", "<ValDt><Dt>2027-03-31</Dt></ValDt><AddtlNtryInf>Frais</AddtlNtryInf>\n"),
           "<IBAN>CA00 TEST 0000</IBAN>");
  const ParsedStatement statement = parseCamt053(file);
  REQUIRE(statement.lines.size() == 2);
  CHECK(statement.lines[0].account == "CA00 TEST 0000");
  CHECK(statement.lines[0].amountCents == -45000);
  CHECK(statement.lines[0].date == day(2027, 3, 2));
  CHECK(statement.lines[0].bankId == "TX-9");
  CHECK(statement.lines[0].reference == "E2E-1");
  CHECK(statement.lines[0].description == "Fournitures Laval");
  CHECK(statement.lines[1].sourceLine == 11);
  CHECK(statement.lines[1].date == day(2027, 3, 31));
  CHECK_FALSE(statement.lines[1].bankId.has_value());
  CHECK(statement.lines[1].description == "Frais");
}

TEST_CASE("camt.053.001.08 with a namespace prefix and Pty names reads the same") {
  const std::string file =
      "<?xml version=\"1.0\"?>\n"
      "<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><c:BkToCstmrStmt><c:Stmt>\n"
      "<c:Acct><c:Id><c:Othr><c:Id>42</c:Id></c:Othr></c:Id></c:Acct>\n"
      "<c:Ntry><c:Amt Ccy=\"CAD\">75.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd>\n"
      "<c:BookgDt><c:Dt>2027-03-15</c:Dt></c:BookgDt><c:NtryDtls><c:TxDtls>"
      "<c:RltdPties><c:Dbtr><c:Pty><c:Nm>Sophie B\xC3\xA9langer</c:Nm></c:Pty></c:Dbtr></c:RltdPties>"
      "<c:RmtInf><c:Strd><c:CdtrRefInf><c:Ref>PB3XK7D-2-Y</c:Ref></c:CdtrRefInf></c:Strd></c:RmtInf>"
      "</c:TxDtls></c:NtryDtls></c:Ntry>\n"
      "</c:Stmt></c:BkToCstmrStmt></c:Document>\n";
  const ParsedStatement statement = parseCamt053(file);
  REQUIRE(statement.lines.size() == 1);
  CHECK(statement.lines[0].sourceLine == 4);
  CHECK(statement.lines[0].account == "42");
  CHECK(statement.lines[0].description == "Sophie B\xC3\xA9langer");
  CHECK(statement.lines[0].reference == "PB3XK7D-2-Y");
}

TEST_CASE("camt.053 entries refused on the entry's line") {
  const std::string date = "<BookgDt><Dt>2027-03-01</Dt></BookgDt>\n";
  const std::string good = entry("1.00", "CRDT", date);  // lines 6-9
  const auto lineOf = [&](const std::string& bad) { return refusalOf([&] { parseCamt053(camt(good + bad)); }); };
  const Refusal usd = lineOf("<Ntry>\n<Amt Ccy=\"USD\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n" + date + "</Ntry>\n");
  CHECK(usd.line == 10);
  CHECK_THAT(usd.reason, Contains("USD"));
  CHECK(lineOf(entry("0.00", "CRDT", date)).line == 10);
  CHECK(lineOf(entry("-5.00", "CRDT", date)).line == 10);
  CHECK(lineOf(entry("5,00", "CRDT", date)).line == 10);
  CHECK_THAT(lineOf(entry("5.00", "CRED", date)).reason, Contains("CdtDbtInd"));
  CHECK_THAT(lineOf(entry("5.00", "CRDT", "")).reason, Contains("date"));
  CHECK(lineOf(entry("5.00", "CRDT", "<BookgDt><Dt>2027-02-30</Dt></BookgDt>\n")).line == 10);
  CHECK_THAT(lineOf("<Ntry>\n<CdtDbtInd>CRDT</CdtDbtInd>" + date + "</Ntry>\n").reason, Contains("Amt"));
}

TEST_CASE("documents that are not camt.053 statements") {
  const Refusal report = refusalOf([] {
    parseCamt053(
        "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\">\n"
        "<BkToCstmrAcctRpt><Rpt><Ntry/></Rpt></BkToCstmrAcctRpt></Document>\n");
  });
  CHECK(report.line == 3);
  CHECK_THAT(report.reason, Contains("camt.052"));
  const Refusal initiation = refusalOf([] {
    parseCamt053(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">\n<CstmrCdtTrfInitn>\n"
        "<GrpHdr/></CstmrCdtTrfInitn></Document>");
  });
  CHECK(initiation.line == 2);
  CHECK_THAT(initiation.reason, Contains("pain.001"));
  CHECK_THAT(refusalOf([] { parseCamt053("<html><body>x</body></html>"); }).reason, Contains("<html>"));
  CHECK_THAT(refusalOf([] { parseCamt053("Date,Amount\n2027-03-01,1.00\n"); }).reason, Contains("not an XML"));
  CHECK(refusalOf([] { parseCamt053(""); }).line == 1);
  CHECK(refusalOf([] { parseCamt053(std::string("\x00\x01\x02\xFF\xFE\x89PNG\r\n\x1A\n", 14)); }).line == 1);
  const Refusal noEntry = refusalOf([] { parseCamt053(camt("")); });
  CHECK(noEntry.line == 3);
  CHECK_THAT(noEntry.reason, Contains("Ntry"));
  const std::string whole = camt(entry("1.00", "CRDT", "<BookgDt><Dt>2027-03-01</Dt></BookgDt>\n"));
  const Refusal cut = refusalOf([&] { parseCamt053(whole.substr(0, whole.find("</Stmt>"))); });
  CHECK(cut.line == 4);  // <Stmt> is the innermost element left open
  CHECK_THAT(refusalOf([] { parseCamt053("<Document><BkToCstmrStmt></Document>"); }).reason, Contains("</Document>"));
}
