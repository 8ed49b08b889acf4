#include "scheduler/calendar_locks.h"

#include "core/error.h"

namespace parcours::scheduler {

std::string practitionerLock(std::int64_t id) {
  return "practitioner:" + std::to_string(id);
}
std::string participantLock(std::int64_t id) {
  return "participant:" + std::to_string(id);
}
std::string awarenessDayLock(std::int64_t id) {
  return "awareness-day:" + std::to_string(id);
}

void ensureLockRows(storage::Database& database, const std::vector<std::string>& names) {
  database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const char* insert = tx.dialect() == storage::Dialect::sqlite
                             ? "INSERT OR IGNORE INTO calendar_locks (name, version) VALUES (?, 0)"
                             : "INSERT IGNORE INTO calendar_locks (name, version) VALUES (?, 0)";
    for (const auto& name : names) tx.execute(insert, {name});
  });
}

void lockRows(storage::Transaction& tx, const std::vector<std::string>& names) {
  if (names.empty()) return;
  // One statement for all rows: one round trip, and InnoDB takes the row
  // locks of an IN list in key order, so two transactions cannot deadlock
  // on them.
  std::string sql = "UPDATE calendar_locks SET version = version + 1 WHERE name IN (?";
  for (std::size_t i = 1; i < names.size(); ++i) sql += ", ?";
  sql += ")";
  storage::Params params(names.begin(), names.end());
  // A missing row would silently lock nothing: that is a bug, not a race to lose.
  if (tx.execute(sql, params) != static_cast<std::int64_t>(names.size())) {
    throw core::Error(core::ErrorCode::internal, "calendar lock rows missing; ensureLockRows must run first");
  }
}

void KnownLockRows::ensure(storage::Database& database, const std::vector<std::string>& names) {
  std::vector<std::string> missing;
  {
    std::lock_guard lock(mutex_);
    for (const auto& name : names) {
      if (!known_.contains(name)) missing.push_back(name);
    }
  }
  if (missing.empty()) return;
  ensureLockRows(database, missing);
  std::lock_guard lock(mutex_);
  known_.insert(missing.begin(), missing.end());
}

}  // namespace parcours::scheduler
