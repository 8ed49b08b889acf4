#include "storage/migrations.h"

#include <set>

namespace parcours::storage {

namespace {

void createHistoryTable(Transaction& tx) {
  if (tx.dialect() == Dialect::sqlite) {
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " id TEXT PRIMARY KEY,"
        " seq INTEGER NOT NULL,"
        " applied_at TEXT NOT NULL)");
  } else {
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " id VARCHAR(191) NOT NULL PRIMARY KEY,"
        " seq BIGINT NOT NULL,"
        " applied_at DATETIME NOT NULL"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
  }
}

std::vector<std::string> readApplied(Transaction& tx) {
  std::vector<std::string> ids;
  for (const Row& row : tx.query("SELECT id FROM schema_migrations ORDER BY seq")) {
    ids.push_back(row.text(0));
  }
  return ids;
}

}  // namespace

std::vector<std::string> migrate(Database& db, const std::vector<Migration>& migrations) {
  std::vector<std::string> applied;
  db.withExclusiveLock("parcours_migrate", [&](Transaction& tx) {
    createHistoryTable(tx);
    const auto done = readApplied(tx);
    std::set<std::string> seen(done.begin(), done.end());
    std::int64_t seq = static_cast<std::int64_t>(done.size());
    for (const Migration& m : migrations) {
      if (seen.contains(m.id)) continue;
      const auto& statements = tx.dialect() == Dialect::sqlite ? m.sqlite : m.mysql;
      for (const std::string& sql : statements) tx.execute(sql);
      tx.execute("INSERT INTO schema_migrations (id, seq, applied_at) VALUES (?, ?, ?)",
                 {m.id, ++seq, core::SystemClock().now()});
      seen.insert(m.id);
      applied.push_back(m.id);
    }
  });
  return applied;
}

std::vector<std::string> appliedMigrations(Database& db) {
  return db.transact(TxMode::read, [](Transaction& tx) {
    createHistoryTable(tx);
    return readApplied(tx);
  });
}

}  // namespace parcours::storage
