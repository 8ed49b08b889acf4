#pragma once
// storage::Filters — the optional conditions of a list query (a status, a
// participant, a date range), kept as ONE prepared statement whatever is
// set: each condition is written "(? IS NULL OR <column> <op> ?)" and binds
// its value twice, so an absent value (NULL) lets every row through.
//
//   storage::Filters where;
//   where.add("status", "=", storage::optional(status)).add("at", ">=", storage::optional(from));
//   Params params = where.params();
//   params.push_back(afterId);
//   tx.query("SELECT ... WHERE " + where.sql() + " AND id > ? ORDER BY id", params);
//
// REQUIRES: column and op are constants of the calling code, never input
// (they become SQL text); values are always bound as parameters.

#include <string>
#include <string_view>

#include "storage/database.h"

namespace parcours::storage {

class Filters {
 public:
  Filters& add(std::string_view column, std::string_view op, Value value);

  // The conditions joined by AND; "1 = 1" when there are none.
  std::string sql() const { return sql_.empty() ? std::string("1 = 1") : sql_; }
  // Their parameters, in order (two per condition).
  const Params& params() const noexcept { return params_; }

 private:
  std::string sql_;
  Params params_;
};

}  // namespace parcours::storage
