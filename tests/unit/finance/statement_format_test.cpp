#include "finance/statement_format.h"

#include <catch2/catch.hpp>

#include "core/error.h"
#include "statement_test_support.h"

using namespace parcours::finance;
using namespace parcours::finance::testing;
using parcours::core::Error;
using parcours::core::ErrorCode;

namespace {

const std::string kOfx =
    "<OFX><BANKACCTFROM><ACCTID>1</ACCTID></BANKACCTFROM>"
    "<STMTTRN><DTPOSTED>20270301</DTPOSTED><TRNAMT>1.00</TRNAMT></STMTTRN></OFX>";
const std::string kCamt =
    "<Document><BkToCstmrStmt><Stmt><Ntry><Amt>1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
    "<BookgDt><Dt>2027-03-01</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>";
const std::string kDesjardins = "\"815\",\"30123\",\"EOP\",\"2027/03/01\",1,\"X\",\"\",,1.00,,,,1.00\r\n";

ErrorCode codeOf(std::string_view bytes, std::string_view contentType, const CsvProfile* profile) {
  try {
    parseStatement(bytes, contentType, profile);
  } catch (const Error& error) {
    return error.code();
  }
  return ErrorCode::internal;  // stands for "accepted" here
}

}  // namespace

TEST_CASE("the Content-Type chooses the parser, parameters and case ignored") {
  const CsvProfile desjardins = desjardinsProfile();
  CHECK(parseStatement(kDesjardins, "text/csv", &desjardins).format == "desjardins");
  CHECK(parseStatement(kDesjardins, "Text/CSV; charset=windows-1252", &desjardins).format == "desjardins");
  for (const char* type :
       {"application/x-ofx", "application/ofx", "application/vnd.intu.qfx", "application/vnd.intu.qbo"}) {
    CHECK(parseStatement(kOfx, type, nullptr).format == "ofx");
  }
  CHECK(parseStatement(kCamt, "application/xml", nullptr).format == "camt053");
  CHECK(parseStatement(kCamt, "text/xml; charset=utf-8", nullptr).format == "camt053");
}

TEST_CASE("an unsupported type is 422 on Content-Type; CSV without a profile is 400 on profile") {
  try {
    parseStatement(kOfx, "application/pdf", nullptr);
    FAIL("expected an error");
  } catch (const Error& error) {
    CHECK(error.code() == ErrorCode::unprocessable);
    REQUIRE(error.fieldErrors().size() == 1);
    CHECK(error.fieldErrors().front().field == "Content-Type");
  }
  CHECK(codeOf(kOfx, "", nullptr) == ErrorCode::unprocessable);
  try {
    parseStatement(kDesjardins, "text/csv", nullptr);
    FAIL("expected an error");
  } catch (const Error& error) {
    CHECK(error.code() == ErrorCode::bad_request);
    CHECK(error.fieldErrors().front().field == "profile");
  }
}

TEST_CASE("the wrong parser for the bytes refuses them as not a statement") {
  const CsvProfile rbc = rbcProfile();
  CHECK(codeOf(kOfx, "text/csv", &rbc) == ErrorCode::unprocessable);
  CHECK(codeOf(kCamt, "application/x-ofx", nullptr) == ErrorCode::unprocessable);
  CHECK(codeOf(kOfx, "application/xml", nullptr) == ErrorCode::unprocessable);
  CHECK(codeOf("", "application/xml", nullptr) == ErrorCode::unprocessable);
}

TEST_CASE("a file of more than 100 000 lines is refused before parsing") {
  const CsvProfile desjardins = desjardinsProfile();
  std::string big;
  for (int i = 0; i < kMaxStatementLines; ++i) big += kDesjardins;
  CHECK(parseStatement(big, "text/csv", &desjardins).lines.size() == static_cast<std::size_t>(kMaxStatementLines));
  CHECK(refusalOf([&] { parseStatement(big + "x", "text/csv", &desjardins); }).line == kMaxStatementLines + 1);
  CHECK(refusalOf([&] { parseStatement(big + "\n", "text/csv", &desjardins); }).line == kMaxStatementLines + 1);
  CHECK(refusalOf([&] {
          parseStatement(std::string(kMaxStatementLines + 1, '\r'), "application/x-ofx", nullptr);
        }).line == kMaxStatementLines + 1);
}
