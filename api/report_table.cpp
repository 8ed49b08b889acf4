#include "api/report_table.h"

#include "api/csv_writer.h"
#include "api/json_writer.h"
#include "core/error.h"

namespace parcours::api {

namespace {

constexpr std::string_view kCentsSuffix = "_cents";

std::string csvName(const std::string& key) {
  if (key.size() > kCentsSuffix.size() && key.ends_with(kCentsSuffix)) {
    return key.substr(0, key.size() - kCentsSuffix.size());
  }
  return key;
}

void writeJsonCell(JsonWriter& w, const Cell& cell) {
  if (cell.null) {
    w.null();
  } else if (cell.kind == CellKind::text) {
    w.value(cell.text);
  } else {
    w.value(cell.number);
  }
}

void writeCsvCell(CsvWriter::Row& row, const Cell& cell) {
  if (cell.null) {
    row.empty();
  } else if (cell.kind == CellKind::text) {
    row.text(cell.text);
  } else if (cell.kind == CellKind::cents) {
    row.cents(cell.number);
  } else {
    row.integer(cell.number);
  }
}

std::vector<Cell> defaultTotalRow(const ReportTable& table) {
  std::vector<Cell> row(table.columns.size(), Cell::none());
  row.front() = Cell::of("Total");
  for (const auto& [key, cell] : table.totals) {
    for (std::size_t c = 1; c < table.columns.size(); ++c) {
      if (table.columns[c] == key) row[c] = cell;
    }
  }
  return row;
}

}  // namespace

std::string reportJson(const ReportTable& table) {
  JsonWriter w;
  w.beginObject();
  for (const auto& [name, value] : table.parameters) w.field(name, value);
  w.key("rows").beginArray();
  for (const auto& row : table.rows) {
    w.beginObject();
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      w.key(table.columns[c]);
      writeJsonCell(w, row[c]);
    }
    w.endObject();
  }
  w.endArray().key("totals").beginObject();
  for (const auto& [key, cell] : table.totals) {
    w.key(key);
    writeJsonCell(w, cell);
  }
  w.endObject().endObject();
  return w.take();
}

std::string reportCsv(const ReportTable& table) {
  CsvWriter csv;
  std::vector<std::string> names;
  for (const auto& column : table.columns) names.push_back(csvName(column));
  csv.header(names);
  const auto writeRow = [&](const std::vector<Cell>& cells) {
    auto row = csv.row();
    for (const auto& cell : cells) writeCsvCell(row, cell);
    row.end();
  };
  for (const auto& row : table.rows) writeRow(row);
  if (table.totalRows.empty()) {
    writeRow(defaultTotalRow(table));
  } else {
    for (const auto& row : table.totalRows) writeRow(row);
  }
  return csv.take();
}

namespace {

// "parcours-aging-2026-03-31.csv": the report's name (the path's last
// segment) and its parameters, reduced to characters safe in a file name.
std::string csvFileName(const Request& request, const ReportTable& table) {
  const auto slash = request.path.rfind('/');
  std::string name = "parcours-" + request.path.substr(slash == std::string::npos ? 0 : slash + 1);
  for (const auto& [key, value] : table.parameters) name += "-" + value;
  std::string safe;
  for (const char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      safe += c;
    }
  }
  return safe + ".csv";
}

bool csvWanted(const Request& request) {
  if (const auto format = request.queryValue("format")) {
    if (*format == "csv") return true;
    if (*format == "json") return false;
    throw core::Error(core::ErrorCode::bad_request, "must be csv or json", "format");
  }
  return request.header("Accept").find("text/csv") != std::string::npos;
}

}  // namespace

Response reportResponse(const Request& request, const ReportTable& table) {
  if (csvWanted(request)) {
    Response response = Response::text(200, "text/csv; charset=utf-8", reportCsv(table));
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + csvFileName(request, table) + "\"");
    return response;
  }
  return Response::json(200, reportJson(table));
}

}  // namespace parcours::api
