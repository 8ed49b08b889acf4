// Finance reports (docs/api.md "Reports"): aging, deposits, outstanding,
// revenue, taxes, reconciliation and the journal, as JSON or CSV
// (`Accept: text/csv`). Finance only; each route parses its period, asks
// finance::ReportService and lays the report out as a ReportTable.
#include <memory>

#include "api/app_context.h"
#include "api/report_table.h"
#include "api/request_fields.h"
#include "api/route_table.h"
#include "finance/report_service.h"

namespace parcours::api {

using identity::Role;

namespace {

struct ReportRoutes {
  finance::ReportService reports;
};
using Route = RouteContext<ReportRoutes>;

Cell idCell(std::int64_t id) {
  return Cell::of(std::to_string(id));
}

core::LocalDate asOfOf(Route& route, Request& request) {
  return optionalDateQuery(request, "as_of").value_or(route.services().reports.today());
}

finance::ReportRange rangeOf(Route& route, Request& request) {
  const auto from = optionalDateQuery(request, "from");
  const auto to = optionalDateQuery(request, "to");
  return route.services().reports.range(from, to);
}

std::vector<std::pair<std::string, std::string>> rangeParameters(const finance::ReportRange& range) {
  return {{"from", core::formatDate(range.from)}, {"to", core::formatDate(range.to)}};
}

std::vector<Cell> agingCells(const finance::AgingRow& row) {
  std::vector<Cell> cells;
  for (const auto cents : row.bucketCents) cells.push_back(Cell::cents(cents));
  cells.push_back(Cell::cents(row.balanceCents));
  return cells;
}

const std::vector<std::string> kAgingAmounts = {"current_cents", "d1_30_cents",    "d31_60_cents",
                                                "d61_90_cents",  "d91_plus_cents", "balance_cents"};

Response aging(Route& route, Request& request) {
  const auto asOf = asOfOf(route, request);
  const auto report = route.services().reports.aging(asOf, auditContextOf(request));
  ReportTable table;
  table.parameters = {{"as_of", core::formatDate(asOf)}};
  table.columns = {"participant_id", "code"};
  table.columns.insert(table.columns.end(), kAgingAmounts.begin(), kAgingAmounts.end());
  for (const auto& row : report.rows) {
    std::vector<Cell> cells{idCell(row.participant.value()), Cell::of(row.code)};
    for (auto& cell : agingCells(row)) cells.push_back(std::move(cell));
    table.rows.push_back(std::move(cells));
  }
  const auto totals = agingCells(report.totals);
  for (std::size_t i = 0; i < kAgingAmounts.size(); ++i) table.totals.emplace_back(kAgingAmounts[i], totals[i]);
  table.totals.emplace_back("participants", Cell::integer(static_cast<std::int64_t>(report.rows.size())));
  return reportResponse(request, table);
}

Response outstanding(Route& route, Request& request) {
  const auto asOf = asOfOf(route, request);
  const auto report = route.services().reports.outstanding(asOf, auditContextOf(request));
  ReportTable table;
  table.parameters = {{"as_of", core::formatDate(asOf)}};
  table.columns = {"participant_id", "code",        "name",           "balance_cents",
                   "plan_status",    "next_due_on", "next_due_cents", "overdue_cents"};
  for (const auto& row : report.rows) {
    table.rows.push_back({idCell(row.participant.value()), Cell::of(row.code), Cell::of(row.name),
                          Cell::cents(row.balanceCents), Cell::of(std::string(finance::toString(row.standing))),
                          row.nextDueOn ? Cell::date(*row.nextDueOn) : Cell::none(), Cell::cents(row.nextDueCents),
                          Cell::cents(row.overdueCents)});
  }
  table.totals = {{"balance_cents", Cell::cents(report.balanceCents)},
                  {"next_due_cents", Cell::cents(report.nextDueCents)},
                  {"overdue_cents", Cell::cents(report.overdueCents)},
                  {"participants", Cell::integer(static_cast<std::int64_t>(report.rows.size()))}};
  return reportResponse(request, table);
}

Response deposits(Route& route, Request& request) {
  const auto range = rangeOf(route, request);
  const auto report = route.services().reports.deposits(range, auditContextOf(request));
  ReportTable table;
  table.parameters = rangeParameters(range);
  table.columns = {"date", "method", "deposit_id", "payments", "total_cents", "fee_cents", "net_cents"};
  for (const auto& row : report.rows) {
    table.rows.push_back({Cell::date(row.date), Cell::of(std::string(billing::toString(row.method))),
                          row.deposit ? idCell(row.deposit->value()) : Cell::none(), Cell::integer(row.payments),
                          Cell::cents(row.totalCents), Cell::cents(row.feeCents), Cell::cents(row.netCents())});
  }
  table.totals = {{"payments", Cell::integer(report.payments)},
                  {"total_cents", Cell::cents(report.totalCents)},
                  {"fee_cents", Cell::cents(report.feeCents)},
                  {"net_cents", Cell::cents(report.totalCents - report.feeCents)}};
  return reportResponse(request, table);
}

std::vector<Cell> revenueAmounts(const finance::RevenueRow& row) {
  return {Cell::cents(row.invoicedCents), Cell::cents(row.creditedCents), Cell::cents(row.collectedCents),
          Cell::cents(row.refundedCents), Cell::cents(row.returnedCents)};
}

Response revenue(Route& route, Request& request) {
  const auto range = rangeOf(route, request);
  const auto report = route.services().reports.revenue(range, auditContextOf(request));
  ReportTable table;
  table.parameters = rangeParameters(range);
  const std::vector<std::string> amounts = {"invoiced_cents", "credited_cents", "collected_cents", "refunded_cents",
                                            "returned_cents"};
  table.columns = {"month"};
  table.columns.insert(table.columns.end(), amounts.begin(), amounts.end());
  for (const auto& row : report.rows) {
    std::vector<Cell> cells{Cell::of(row.month)};
    for (auto& cell : revenueAmounts(row)) cells.push_back(std::move(cell));
    table.rows.push_back(std::move(cells));
  }
  const auto totals = revenueAmounts(report.totals);
  for (std::size_t i = 0; i < amounts.size(); ++i) table.totals.emplace_back(amounts[i], totals[i]);
  return reportResponse(request, table);
}

std::vector<Cell> taxAmounts(const finance::TaxRow& row) {
  return {Cell::cents(row.exemptCents),      Cell::cents(row.taxableCents),      Cell::cents(row.gstInvoicedCents),
          Cell::cents(row.qstInvoicedCents), Cell::cents(row.gstCollectedCents), Cell::cents(row.qstCollectedCents)};
}

Response taxes(Route& route, Request& request) {
  const auto range = rangeOf(route, request);
  const auto report = route.services().reports.taxes(range, auditContextOf(request));
  ReportTable table;
  table.parameters = rangeParameters(range);
  const std::vector<std::string> amounts = {"exempt_cents",       "taxable_cents",       "gst_invoiced_cents",
                                            "qst_invoiced_cents", "gst_collected_cents", "qst_collected_cents"};
  table.columns = {"month"};
  table.columns.insert(table.columns.end(), amounts.begin(), amounts.end());
  for (const auto& row : report.rows) {
    std::vector<Cell> cells{Cell::of(row.month)};
    for (auto& cell : taxAmounts(row)) cells.push_back(std::move(cell));
    table.rows.push_back(std::move(cells));
  }
  const auto totals = taxAmounts(report.totals);
  for (std::size_t i = 0; i < amounts.size(); ++i) table.totals.emplace_back(amounts[i], totals[i]);
  return reportResponse(request, table);
}

Response reconciliation(Route& route, Request& request) {
  const auto range = rangeOf(route, request);
  const auto report = route.services().reports.reconciliation(range, auditContextOf(request));
  ReportTable table;
  table.parameters = rangeParameters(range);
  table.columns = {"section", "status", "count", "amount_cents"};
  for (const auto& row : report.rows) {
    table.rows.push_back(
        {Cell::of(row.section), Cell::of(row.status), Cell::integer(row.count), Cell::cents(row.amountCents)});
  }
  table.totals = {{"bank_lines", Cell::integer(report.bankLines)},
                  {"bank_lines_cents", Cell::cents(report.bankLinesCents)},
                  {"payments_not_at_bank", Cell::integer(report.paymentsNotAtBank)},
                  {"payments_not_at_bank_cents", Cell::cents(report.paymentsNotAtBankCents)}};
  // One Total row per section: lines and payments do not add up together.
  table.totalRows = {
      {Cell::of("Total"), Cell::of("bank_lines"), Cell::integer(report.bankLines), Cell::cents(report.bankLinesCents)},
      {Cell::of("Total"), Cell::of("payments_not_at_bank"), Cell::integer(report.paymentsNotAtBank),
       Cell::cents(report.paymentsNotAtBankCents)}};
  return reportResponse(request, table);
}

Response journal(Route& route, Request& request) {
  const auto range = rangeOf(route, request);
  const auto report = route.services().reports.journal(range, auditContextOf(request));
  ReportTable table;
  table.parameters = rangeParameters(range);
  table.columns = {"date", "account", "debit_cents", "credit_cents", "document"};
  for (const auto& row : report.rows) {
    table.rows.push_back({Cell::date(row.date), Cell::of(std::string(finance::toString(row.account))),
                          Cell::cents(row.debitCents), Cell::cents(row.creditCents), Cell::of(row.document)});
  }
  table.totals = {{"debit_cents", Cell::cents(report.debitCents)},
                  {"credit_cents", Cell::cents(report.creditCents)},
                  {"receivable_net_cents", Cell::cents(report.receivableNetCents)}};
  return reportResponse(request, table);
}

}  // namespace

void addReportRoutes(Router& router, AppContext& app) {
  const Access finance = roles({Role::finance});
  auto services = std::make_shared<ReportRoutes>(ReportRoutes{finance::ReportService(
      app.database, app.documents, app.participants, app.clock, app.programZone, app.billing.options().graceDays)});
  addRoutes<ReportRoutes>(router, services, app.access, &app.idempotent,
                          {
                              {"GET", "/api/v1/reports/aging", aging, finance},
                              {"GET", "/api/v1/reports/deposits", deposits, finance},
                              {"GET", "/api/v1/reports/outstanding", outstanding, finance},
                              {"GET", "/api/v1/reports/revenue", revenue, finance},
                              {"GET", "/api/v1/reports/taxes", taxes, finance},
                              {"GET", "/api/v1/reports/reconciliation", reconciliation, finance},
                              {"GET", "/api/v1/reports/journal", journal, finance},
                          });
}

}  // namespace parcours::api
