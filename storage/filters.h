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

#include <algorithm>
#include <string>
#include <vector>
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

// Runs `prefix` + "?, ?, …)" + `suffix` over `values` in batches of at most
// `batch` (an IN list of constant size per batch: prepared statements stay
// few), calling `each(row)` for every row:
//
//   queryInBatches(tx, "SELECT code FROM participants WHERE id IN (", ids, "", [&](const Row& row) {...});
//
// REQUIRES: prefix ends inside "IN (" and, like suffix, is a constant of
// the calling code, never input.
template <class Each>
void queryInBatches(Transaction& tx, std::string_view prefix, const std::vector<Value>& values,
                    std::string_view suffix, const Each& each, std::size_t batch = 200) {
  for (std::size_t at = 0; at < values.size(); at += batch) {
    const std::size_t n = std::min(batch, values.size() - at);
    std::string sql(prefix);
    for (std::size_t i = 0; i < n; ++i) sql += i == 0 ? "?" : ", ?";
    sql += ")";
    sql += suffix;
    const Params params(values.begin() + static_cast<std::ptrdiff_t>(at),
                        values.begin() + static_cast<std::ptrdiff_t>(at + n));
    for (const auto& row : tx.query(sql, params)) each(row);
  }
}

}  // namespace parcours::storage
