#pragma once
// Versioned schema migrations. Each module contributes an ordered list; the
// daemon applies the concatenation at start and on `parcoursd migrate`.
// Applied ids are recorded in `schema_migrations`; applying the same list
// again changes nothing, and two processes migrating one database at once
// serialise on Database::withExclusiveLock (the second finds nothing to do).

#include <string>
#include <vector>

#include "storage/database.h"

namespace parcours::storage {

struct Migration {
  std::string id;                   // unique and stable, e.g. "core/0001_counters"
  std::vector<std::string> sqlite;  // statements for SQLite
  std::vector<std::string> mysql;   // statements for MariaDB/MySQL
};

// Applies what is missing, in order; returns the ids it applied.
// REQUIRES: ids are unique. Each step should be idempotent (IF NOT EXISTS):
// MariaDB commits DDL implicitly, so a step interrupted half-way is re-run.
std::vector<std::string> migrate(Database& db, const std::vector<Migration>& migrations);

// Ids already applied, in the order they were applied.
std::vector<std::string> appliedMigrations(Database& db);

}  // namespace parcours::storage
