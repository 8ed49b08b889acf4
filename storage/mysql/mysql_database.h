#pragma once
// The MariaDB/MySQL driver on Connector/C++ 1.1 (JDBC-style API): utf8mb4,
// UTC session time zone, no automatic reconnect (a broken connection is
// dropped and the transaction retried on a new one), deadlocks (1213) and
// lock-wait timeouts (1205) retried by the pool's transaction loop.

#include <memory>
#include <string>

#include "storage/database.h"

namespace parcours::storage {

struct MysqlOptions {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string user;
  std::string password;
  std::string database;
  std::size_t poolSize = 16;
  std::chrono::seconds connectTimeout{3};
};

std::unique_ptr<Database> openMysql(const MysqlOptions& options);

}  // namespace parcours::storage
