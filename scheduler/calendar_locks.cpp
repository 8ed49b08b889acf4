#include "scheduler/calendar_locks.h"

#include "core/error.h"

namespace parcours::scheduler {

std::string practitionerLock(core::PractitionerId id) {
  return "practitioner:" + id.toString();
}
std::string participantLock(core::ParticipantId id) {
  return "participant:" + id.toString();
}
std::string awarenessDayLock(core::GroupSessionId id) {
  return "awareness-day:" + id.toString();
}

LockRow practitionerLockRow(core::PractitionerId id) {
  return {practitionerLock(id), "practitioners", id.value(), "no such practitioner", "practitioner_id"};
}
LockRow participantLockRow(core::ParticipantId id) {
  return {participantLock(id), "participants", id.value(), "no such participant", "participant_id"};
}
LockRow awarenessDayLockRow(core::GroupSessionId id) {
  return {awarenessDayLock(id), "group_sessions", id.value(), "no such awareness day", ""};
}

void ensureLockRows(storage::Database& database, const std::vector<LockRow>& rows) {
  database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    for (const auto& row : rows) {
      // ownerTable is one of the three constants above, never request text.
      if (!tx.queryOne(std::string("SELECT id FROM ") + row.ownerTable + " WHERE id = ?", {row.ownerId})) {
        throw core::Error(core::ErrorCode::not_found, row.missing, row.field);
      }
    }
    const char* insert = tx.dialect() == storage::Dialect::sqlite
                             ? "INSERT OR IGNORE INTO calendar_locks (name, version) VALUES (?, 0)"
                             : "INSERT IGNORE INTO calendar_locks (name, version) VALUES (?, 0)";
    for (const auto& row : rows) tx.execute(insert, {row.name});
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

void KnownLockRows::ensure(storage::Database& database, const std::vector<LockRow>& rows) {
  std::vector<LockRow> missing;
  {
    std::lock_guard lock(mutex_);
    for (const auto& row : rows) {
      if (!known_.contains(row.name)) missing.push_back(row);
    }
  }
  if (missing.empty()) return;
  ensureLockRows(database, missing);
  std::lock_guard lock(mutex_);
  for (const auto& row : missing) known_.insert(row.name);
}

}  // namespace parcours::scheduler
