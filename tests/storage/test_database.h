#pragma once
// A fresh, empty database for one test case, on the driver chosen by the
// environment:
//   PARCOURS_TEST_DRIVER=sqlite (default) — a new file in a new temp folder;
//   PARCOURS_TEST_DRIVER=mysql — a new database parcours_t_<pid>_<n> created
//     through PARCOURS_TEST_MYSQL_URL (mysql://USER:PASS@HOST:PORT/DB, a
//     user that may CREATE/DROP databases named like it); the test fails
//     when the URL is missing.
// Everything is removed when the object goes away.

#include <memory>
#include <string>

#include "storage/database.h"

namespace parcours::storage::test {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& db() { return *db_; }
  Dialect dialect() const { return dialect_; }
  std::size_t poolCapacity() const { return poolSize_; }
  // MySQL: the URL given by the environment.
  const std::string& mysqlUrl() const { return url_; }

  // Another Database object (its own pool) on the same database, as a second
  // process would have.
  std::unique_ptr<Database> openAnother() const;

  // MySQL only: a Database on the server's test database, outside the pool of
  // db(), for what a test does "from elsewhere" (e.g. KILL a connection).
  Database& admin();

 private:
  std::unique_ptr<Database> open() const;
  void dropDatabase() noexcept;

  Dialect dialect_ = Dialect::sqlite;
  std::size_t poolSize_ = 8;
  std::string folder_;  // sqlite
  std::string path_;    // sqlite
  std::string url_;     // mysql: the URL given by the environment
  std::string name_;    // mysql: the database created for this test
  std::unique_ptr<Database> admin_;
  std::unique_ptr<Database> db_;
};

}  // namespace parcours::storage::test
