#pragma once
// The research export's data dictionary (pure data): every column of the
// CSV in order, what it means, its type and allowed values, and a version
// that changes whenever a column is added, removed or changes meaning.
// Served at GET /api/v1/research/dictionary; docs/research.md says the same
// for people. cellsOf (export_rows.h) writes the columns in this order.

#include <string>
#include <vector>

namespace parcours::research {

inline constexpr const char* kDictionaryVersion = "2026-12.1";

struct ColumnSpec {
  std::string name;
  std::string type;  // "text" | "integer" | "category" | "month" | "boolean"
  std::string meaning;
  std::vector<std::string> allowedValues;  // empty: any value of the type (see meaning)
};

// The columns in CSV order; the first is study_id.
const std::vector<ColumnSpec>& exportColumns();

}  // namespace parcours::research
