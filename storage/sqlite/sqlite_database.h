#pragma once
// The SQLite driver: one file, WAL journal, a busy timeout, foreign keys on,
// one connection per thread at a time from the pool. Write transactions
// start with BEGIN IMMEDIATE so that a read-then-write never fails half-way
// with SQLITE_BUSY (see docs/decisions.md, Foundation).

#include <memory>
#include <string>

#include "storage/database.h"

namespace parcours::storage {

struct SqliteOptions {
  std::string path;  // created with its folder when missing
  std::size_t poolSize = 8;
  std::chrono::milliseconds busyTimeout{10000};
};

std::unique_ptr<Database> openSqlite(const SqliteOptions& options);

}  // namespace parcours::storage
