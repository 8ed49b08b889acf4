#include "test_database.h"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "storage/database_url.h"
#include "storage/mysql/mysql_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace parcours::storage::test {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

MysqlOptions mysqlOptions(const DatabaseUrl& url, std::string database, std::size_t poolSize) {
  MysqlOptions options;
  options.host = url.host;
  options.port = url.port;
  options.user = url.user;
  options.password = url.password;
  options.database = std::move(database);
  options.poolSize = poolSize;
  return options;
}

}  // namespace

TestDatabase::TestDatabase() {
  const std::string driver = env("PARCOURS_TEST_DRIVER");
  if (driver.empty() || driver == "sqlite") {
    dialect_ = Dialect::sqlite;
    std::string pattern = (std::filesystem::temp_directory_path() / "parcours-storage-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    folder_ = pattern;
    path_ = folder_ + "/test.db";
    db_ = open();
    return;
  }
  if (driver != "mysql") FAIL("PARCOURS_TEST_DRIVER must be sqlite or mysql, not '" << driver << "'");

  dialect_ = Dialect::mysql;
  poolSize_ = 16;
  url_ = env("PARCOURS_TEST_MYSQL_URL");
  if (url_.empty()) {
    FAIL(
        "PARCOURS_TEST_DRIVER=mysql needs PARCOURS_TEST_MYSQL_URL=mysql://USER:PASS@HOST:PORT/DB "
        "(e.g. from `scripts/mariadb start`, with /parcours_test as the database)");
  }
  const DatabaseUrl url = parseDatabaseUrl(url_);
  REQUIRE(url.dialect == Dialect::mysql);
  static std::atomic<int> counter{0};
  name_ = "parcours_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  admin_ = openMysql(mysqlOptions(url, url.database, 2));
  admin_->transact(TxMode::write, [&](Transaction& tx) {
    tx.execute("DROP DATABASE IF EXISTS `" + name_ + "`");
    tx.execute("CREATE DATABASE `" + name_ + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  });
  try {
    db_ = open();
  } catch (...) {
    dropDatabase();  // the destructor does not run when the constructor throws
    throw;
  }
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (dialect_ == Dialect::sqlite) {
    std::error_code ignored;  // a leftover temp folder is not worth failing a test for
    std::filesystem::remove_all(folder_, ignored);
    return;
  }
  dropDatabase();
}

void TestDatabase::dropDatabase() noexcept {
  if (!admin_) return;
  try {
    admin_->transact(TxMode::write, [&](Transaction& tx) { tx.execute("DROP DATABASE IF EXISTS `" + name_ + "`"); });
  } catch (const std::exception& e) {
    // Must not throw (destructor); the name is unique, so a leftover harms no later test.
    WARN("could not drop test database " << name_ << ": " << e.what());
  }
}

std::unique_ptr<Database> TestDatabase::open() const {
  if (dialect_ == Dialect::sqlite) return openSqlite({.path = path_, .poolSize = poolSize_});
  return openMysql(mysqlOptions(parseDatabaseUrl(url_), name_, poolSize_));
}

std::unique_ptr<Database> TestDatabase::openAnother() const {
  return open();
}

Database& TestDatabase::admin() {
  REQUIRE(admin_ != nullptr);
  return *admin_;
}

}  // namespace parcours::storage::test
