#include "daemon/schema.h"

#include "identity/identity_schema.h"
#include "participants/participant_schema.h"
#include "scheduler/scheduler_schema.h"

namespace parcours::daemon {

std::vector<storage::Migration> allMigrations() {
  std::vector<storage::Migration> all;
  // Counters hand out gapless numbers (documents, per year): a row is
  // locked and bumped in the transaction that uses the number.
  all.push_back({"core/0001_counters",
                 {"CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"},
                 {"CREATE TABLE IF NOT EXISTS counters (name VARCHAR(191) NOT NULL PRIMARY KEY, "
                  "value BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}});
  for (auto& m : identity::identityMigrations()) all.push_back(std::move(m));
  for (auto& m : participants::participantMigrations()) all.push_back(std::move(m));
  for (auto& m : scheduler::schedulerMigrations()) all.push_back(std::move(m));
  return all;
}

std::vector<identity::EncryptedColumn> allEncryptedColumns() {
  auto all = identity::identityEncryptedColumns();
  for (auto& c : participants::participantEncryptedColumns()) all.push_back(std::move(c));
  return all;
}

}  // namespace parcours::daemon
