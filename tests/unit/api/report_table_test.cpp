#include "api/report_table.h"

#include <catch2/catch.hpp>

using namespace parcours::api;

namespace {

ReportTable sample() {
  ReportTable table;
  table.parameters = {{"from", "2026-06-01"}, {"to", "2026-06-30"}};
  table.columns = {"date", "account", "debit_cents", "deposit_id"};
  table.rows = {{Cell::of("2026-06-02"), Cell::of("=Bank"), Cell::cents(-1234), Cell::none()},
                {Cell::of("2026-06-03"), Cell::of("Program fees, \"main\""), Cell::cents(5), Cell::of("7")}};
  table.totals = {{"debit_cents", Cell::cents(-1229)}, {"lines", Cell::integer(2)}};
  return table;
}

}  // namespace

TEST_CASE("a report's JSON holds its parameters, rows and totals", "[report_table]") {
  CHECK(reportJson(sample()) ==
        R"({"from":"2026-06-01","to":"2026-06-30","rows":[)"
        R"({"date":"2026-06-02","account":"=Bank","debit_cents":-1234,"deposit_id":null},)"
        R"({"date":"2026-06-03","account":"Program fees, \"main\"","debit_cents":5,"deposit_id":"7"}],)"
        R"("totals":{"debit_cents":-1229,"lines":2}})");
}

TEST_CASE("a report's CSV: names without _cents, decimals, escaped text, then the Total row", "[report_table]") {
  CHECK(reportCsv(sample()) == "date,account,debit,deposit_id\r\n"
                               "2026-06-02,'=Bank,-12.34,\r\n"
                               "2026-06-03,\"Program fees, \"\"main\"\"\",0.05,7\r\n"
                               "Total,,-12.29,\r\n");
}

TEST_CASE("a report may give its own Total rows", "[report_table]") {
  auto table = sample();
  table.totalRows = {{Cell::of("Total"), Cell::of("a"), Cell::cents(1), Cell::none()},
                     {Cell::of("Total"), Cell::of("b"), Cell::cents(2), Cell::none()}};
  const auto csv = reportCsv(table);
  CHECK(csv.ends_with("Total,a,0.01,\r\nTotal,b,0.02,\r\n"));
}
