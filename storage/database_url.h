#pragma once
// Database URLs: "sqlite:PATH" or "mysql://USER:PASSWORD@HOST:PORT/DATABASE"
// (user and password percent-decoded; port defaults to 3306).

#include <string>
#include <string_view>

#include "storage/database.h"

namespace parcours::storage {

struct DatabaseUrl {
  Dialect dialect = Dialect::sqlite;
  std::string path;  // sqlite
  std::string host;  // mysql
  int port = 3306;
  std::string user;
  std::string password;
  std::string database;
};

// Throws core::Error(bad_request) naming what is wrong.
DatabaseUrl parseDatabaseUrl(std::string_view url);
// The URL without its password, fit for logs.
std::string redact(const DatabaseUrl& url);

}  // namespace parcours::storage
