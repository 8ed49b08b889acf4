#pragma once
// ReportTable — one finance report as columns, rows and totals, written
// either as JSON `{…parameters, rows: [...], totals: {...}}` or as CSV
// (api/csv_writer.h: a header row, one row per JSON row, then the Total
// rows). Amount columns are `…_cents` in JSON and decimals with a dot in
// CSV, under the same name without `_cents`.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "api/http_message.h"
#include "core/time.h"

namespace parcours::api {

enum class CellKind { text, cents, integer };

struct Cell {
  CellKind kind = CellKind::text;
  bool null = false;
  std::string text;
  std::int64_t number = 0;

  static Cell of(std::string value) { return {CellKind::text, false, std::move(value), 0}; }
  static Cell cents(std::int64_t value) { return {CellKind::cents, false, {}, value}; }
  static Cell integer(std::int64_t value) { return {CellKind::integer, false, {}, value}; }
  static Cell date(core::LocalDate day) { return of(core::formatDate(day)); }
  static Cell none() { return {CellKind::text, true, {}, 0}; }
};

struct ReportTable {
  std::vector<std::pair<std::string, std::string>> parameters;  // as_of, from, to (JSON strings)
  std::vector<std::string> columns;                             // JSON keys (amounts end in _cents)
  std::vector<std::vector<Cell>> rows;
  std::vector<std::pair<std::string, Cell>> totals;  // JSON keys
  // CSV only: the Total rows. Empty: one row, "Total" in the first column
  // and each total under the column of its key.
  std::vector<std::vector<Cell>> totalRows;
};

std::string reportJson(const ReportTable& table);
std::string reportCsv(const ReportTable& table);

// CSV (as an attachment named after the report and its parameters) when
// ?format=csv, or without ?format when Accept names text/csv; else JSON.
// 400 for another ?format.
Response reportResponse(const Request& request, const ReportTable& table);

}  // namespace parcours::api
