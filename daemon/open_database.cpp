#include "daemon/open_database.h"

#include "storage/database_url.h"
#include "storage/mysql/mysql_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace parcours::daemon {

std::unique_ptr<storage::Database> openDatabase(const std::string& url, std::size_t poolSize) {
  const storage::DatabaseUrl parsed = storage::parseDatabaseUrl(url);
  if (parsed.dialect == storage::Dialect::sqlite) {
    return storage::openSqlite({.path = parsed.path, .poolSize = poolSize});
  }
  storage::MysqlOptions options;
  options.host = parsed.host;
  options.port = parsed.port;
  options.user = parsed.user;
  options.password = parsed.password;
  options.database = parsed.database;
  options.poolSize = poolSize;
  return storage::openMysql(options);
}

}  // namespace parcours::daemon
