#include "storage/filters.h"

namespace parcours::storage {

Filters& Filters::add(std::string_view column, std::string_view op, Value value) {
  if (!sql_.empty()) sql_ += " AND ";
  sql_ += "(? IS NULL OR ";
  sql_ += column;
  sql_ += ' ';
  sql_ += op;
  sql_ += " ?)";
  params_.push_back(value);
  params_.push_back(std::move(value));
  return *this;
}

}  // namespace parcours::storage
