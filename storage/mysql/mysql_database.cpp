#include "storage/mysql/mysql_database.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/exception.h>
#include <cppconn/parameter_metadata.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <array>
#include <cctype>
#include <sstream>
#include <unordered_map>

#include "storage/pooled_database.h"
#include "storage/sql_time.h"

namespace parcours::storage {

namespace {

// Client-side read/write timeouts: a dead server or a lost network makes a
// statement fail after this long instead of hanging its thread. Row-lock and
// metadata-lock waits are bounded below it (see kSessionSetup), so a long
// lock wait surfaces as a retryable 1205 rather than as a lost connection.
constexpr int kPoolIoTimeoutSeconds = 30;
// The connection of withExclusiveLock runs migrations: DDL on a large table
// and GET_LOCK(…, 60) legitimately take longer than a request would.
constexpr int kLockIoTimeoutSeconds = 3600;
constexpr int kGetLockSeconds = 60;

// Session settings of every connection:
// - UTC, so DATETIME text is the UTC instant (storage/sql_time.h);
// - strict mode for all tables: an overlong or invalid value is an error,
//   never silently truncated;
// - lock waits bounded well under the client timeout (see above).
constexpr const char* kSessionSetup =
    "SET time_zone = '+00:00',"
    " sql_mode = 'STRICT_ALL_TABLES,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',"
    " innodb_lock_wait_timeout = 10,"
    " lock_wait_timeout = 20";
// Write transactions run READ COMMITTED: a check made after locking a parent
// row (SELECT … FOR UPDATE, then SELECT the children) sees every row
// committed before the lock was granted, whatever the transaction read
// earlier; REPEATABLE READ would check against a snapshot that can predate
// the lock. It also takes fewer gap locks, so fewer deadlocks on inserts.
// Read transactions ask for REPEATABLE READ per transaction (begin()), so a
// multi-statement read sees one consistent snapshot, as on SQLite.
constexpr const char* kSessionIsolation = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";

// Errors that mean the connection is gone (or unusable) rather than the
// statement being wrong.
bool isConnectionLost(int code) {
  switch (code) {
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
      return true;
    default: return false;
  }
}

// "… for key 'name'" / "… for column `db`.`t`.`c` at row 1" → the quoted name.
std::string quotedNameAfter(std::string_view message, std::string_view marker) {
  const auto at = message.rfind(marker);
  if (at == std::string_view::npos) return {};
  std::string_view rest = message.substr(at + marker.size());
  const auto end = rest.find(' ');
  rest = rest.substr(0, end);
  std::string name;
  for (const char c : rest) {
    if (c != '\'' && c != '`') name.push_back(c);
  }
  return name;
}

std::string withName(std::string text, const std::string& name) {
  if (!name.empty()) text += " (" + name + ")";
  return text;
}

bool isDdl(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++]))));
  }
  return word == "CREATE" || word == "ALTER" || word == "DROP" || word == "RENAME" || word == "TRUNCATE";
}

enum class Phase { statement, commit };

class MysqlConnection final : public detail::Connection {
 public:
  MysqlConnection(sql::mysql::MySQL_Driver& driver, const MysqlOptions& options, int ioTimeoutSeconds) {
    sql::ConnectOptionsMap properties;
    properties["hostName"] = sql::SQLString("tcp://" + options.host + ":" + std::to_string(options.port));
    properties["userName"] = sql::SQLString(options.user);
    properties["password"] = sql::SQLString(options.password);
    properties["schema"] = sql::SQLString(options.database);
    properties["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    properties["OPT_CONNECT_TIMEOUT"] = static_cast<int>(options.connectTimeout.count());
    properties["OPT_READ_TIMEOUT"] = ioTimeoutSeconds;
    properties["OPT_WRITE_TIMEOUT"] = ioTimeoutSeconds;
    // Never reconnect behind our back: the session settings and the open
    // transaction would be lost silently (docs/decisions.md, Foundation).
    properties["OPT_RECONNECT"] = false;
    // UPDATE reports matched rows, as SQLite does, not only changed ones.
    properties["CLIENT_FOUND_ROWS"] = true;
    try {
      connection_.reset(driver.connect(properties));
      plain_.reset(connection_->createStatement());
      plain_->execute(kSessionSetup);
      plain_->execute(kSessionIsolation);
    } catch (const sql::SQLException& e) {
      // The server's text may name the user and host; keep it out of
      // messages that can reach a client. The code is enough to diagnose.
      throw core::Error(core::ErrorCode::unavailable,
                        "database unavailable (MySQL error " + std::to_string(e.getErrorCode()) + ")");
    }
  }

  ~MysqlConnection() override {
    // Statements before the connection they belong to.
    statements_.clear();
    plain_.reset();
    connection_.reset();
  }

  void begin(TxMode mode) override {
    guarded(Phase::statement, [&] {
      if (mode == TxMode::read) {
        plain_->execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        plain_->execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
      } else {
        plain_->execute("START TRANSACTION");
      }
    });
  }

  void commit() override {
    guarded(Phase::commit, [&] { plain_->execute("COMMIT"); });
  }

  void rollback() noexcept override {
    if (broken_) return;  // the server rolls back when the connection closes
    try {
      plain_->execute("ROLLBACK");
    } catch (const sql::SQLException&) {
      broken_ = true;  // state unknown: drop the connection, the server rolls back
    }
  }

  bool broken() const noexcept override { return broken_; }

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    return guarded(Phase::statement, [&] {
      Prepared& statement = prepare(sql, params.size());
      BoundBlobs blobs = bind(*statement.statement, params);
      const std::unique_ptr<sql::ResultSet> result(statement.statement->executeQuery());
      return readRows(*result);
    });
  }

  std::int64_t execute(std::string_view sql, const Params& params) override {
    return guarded(Phase::statement, [&]() -> std::int64_t {
      // MariaDB cannot prepare every DDL statement; DDL text is fixed and
      // runs once, so there is nothing to gain from preparing it anyway.
      if (params.empty() && isDdl(sql)) return plain_->executeUpdate(sql::SQLString(sql.data(), sql.size()));
      Prepared& statement = prepare(sql, params.size());
      BoundBlobs blobs = bind(*statement.statement, params);
      return statement.statement->executeUpdate();
    });
  }

  std::int64_t lastInsertId() override {
    const auto rows = query("SELECT LAST_INSERT_ID()", {});
    return rows.at(0).int64(0);
  }

  Dialect dialect() const noexcept override { return Dialect::mysql; }

 private:
  struct Prepared {
    std::unique_ptr<sql::PreparedStatement> statement;
    std::size_t parameterCount = 0;
  };
  // Blob parameters are streamed from these at execute time: they must
  // outlive the execution.
  using BoundBlobs = std::vector<std::unique_ptr<std::istringstream>>;

  // Runs `f`, turning Connector/C++ exceptions into storage errors.
  template <class F>
  auto guarded(Phase phase, F&& f) -> decltype(f()) {
    if (broken_) throw TransientError("database connection lost");
    try {
      return f();
    } catch (const sql::SQLException& e) {
      raise(e, phase);
    }
  }

  [[noreturn]] void raise(const sql::SQLException& e, Phase phase) {
    const int code = e.getErrorCode();
    const std::string_view message = e.what();
    if (isConnectionLost(code) || dynamic_cast<const sql::InvalidInstanceException*>(&e) != nullptr) {
      broken_ = true;
      if (phase == Phase::commit) {
        // The COMMIT may or may not have reached the server: running the
        // work again could do it twice.
        throw core::Error(core::ErrorCode::unavailable,
                          "database connection lost during commit; the outcome is unknown");
      }
      throw TransientError("database connection lost (MySQL error " + std::to_string(code) + ")");
    }
    // Other client-side errors (2000-2999) leave the protocol in an unknown state.
    if (code >= 2000 && code < 3000) broken_ = true;
    switch (code) {
      case 1205:  // ER_LOCK_WAIT_TIMEOUT
      case 1213:  // ER_LOCK_DEADLOCK (also a Galera certification failure at commit)
        throw TransientError("MySQL error " + std::to_string(code) + ": " + std::string(message));
      case 1062:  // ER_DUP_ENTRY: the message quotes the value; name only the key
      case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
        throw ConstraintViolation(withName("duplicate value for a unique key", quotedNameAfter(message, "for key ")));
      case 1216:  // ER_NO_REFERENCED_ROW
      case 1217:  // ER_ROW_IS_REFERENCED
      case 1451:  // ER_ROW_IS_REFERENCED_2
      case 1452:  // ER_NO_REFERENCED_ROW_2
        throw ConstraintViolation("foreign key constraint failed: " + std::string(message));
      case 1406:  // ER_DATA_TOO_LONG
        throw core::Error(core::ErrorCode::unprocessable,
                          withName("value too long", quotedNameAfter(message, "for column ")));
      case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
        throw core::Error(core::ErrorCode::unprocessable,
                          withName("value out of range", quotedNameAfter(message, "for column ")));
      case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD (e.g. invalid UTF-8); the message quotes the value
        throw core::Error(core::ErrorCode::unprocessable,
                          withName("invalid value for its column", quotedNameAfter(message, "for column ")));
      default: throw DatabaseError("MySQL error " + std::to_string(code) + ": " + std::string(message));
    }
  }

  // Prepared once per connection and SQL text, then reused.
  Prepared& prepare(std::string_view sql, std::size_t parameters) {
    auto found = statements_.find(std::string(sql));
    if (found == statements_.end()) {
      Prepared prepared;
      prepared.statement.reset(connection_->prepareStatement(sql::SQLString(sql.data(), sql.size())));
      // The metadata object belongs to the statement.
      prepared.parameterCount =
          static_cast<std::size_t>(prepared.statement->getParameterMetaData()->getParameterCount());
      found = statements_.emplace(std::string(sql), std::move(prepared)).first;
    }
    if (parameters != found->second.parameterCount) {
      throw DatabaseError("wrong number of parameters (" + std::to_string(parameters) + " instead of " +
                          std::to_string(found->second.parameterCount) + ") for: " + std::string(sql));
    }
    return found->second;
  }

  static BoundBlobs bind(sql::PreparedStatement& statement, const Params& params) {
    BoundBlobs blobs;
    statement.clearParameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto index = static_cast<unsigned int>(i + 1);
      const Value& value = params[i];
      if (std::holds_alternative<Null>(value)) {
        statement.setNull(index, sql::DataType::VARCHAR);
      } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
        statement.setInt64(index, *n);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        statement.setString(index, sql::SQLString(s->data(), s->size()));
      } else if (const auto* b = std::get_if<Blob>(&value)) {
        blobs.push_back(std::make_unique<std::istringstream>(b->bytes));
        statement.setBlob(index, blobs.back().get());
      } else if (const auto* t = std::get_if<core::Instant>(&value)) {
        statement.setString(index, formatSqlInstant(*t));
      } else if (const auto* d = std::get_if<core::LocalDate>(&value)) {
        statement.setString(index, core::formatDate(*d));
      }
    }
    return blobs;
  }

  enum class Kind { integer, instant, blob, text };

  static Kind kindOf(int type) {
    switch (type) {
      case sql::DataType::BIT:
      case sql::DataType::TINYINT:
      case sql::DataType::SMALLINT:
      case sql::DataType::MEDIUMINT:
      case sql::DataType::INTEGER:
      case sql::DataType::BIGINT: return Kind::integer;
      case sql::DataType::TIMESTAMP:  // DATETIME and TIMESTAMP
        return Kind::instant;
      case sql::DataType::BINARY:
      case sql::DataType::VARBINARY:
      case sql::DataType::LONGVARBINARY: return Kind::blob;
      default:  // text, DECIMAL (exact, as text), DATE, TIME, …
        return Kind::text;
    }
  }

  static std::vector<Row> readRows(sql::ResultSet& result) {
    sql::ResultSetMetaData* meta = result.getMetaData();  // owned by the result set
    const unsigned int columns = meta->getColumnCount();
    std::vector<Kind> kinds;
    kinds.reserve(columns);
    for (unsigned int c = 1; c <= columns; ++c) kinds.push_back(kindOf(meta->getColumnType(c)));

    std::vector<Row> rows;
    while (result.next()) {
      std::vector<Value> values;
      values.reserve(columns);
      for (unsigned int c = 1; c <= columns; ++c) {
        if (result.isNull(c)) {
          values.emplace_back(Null{});
          continue;
        }
        switch (kinds[c - 1]) {
          case Kind::integer: values.emplace_back(static_cast<std::int64_t>(result.getInt64(c))); break;
          case Kind::instant: values.emplace_back(parseSqlInstant(result.getString(c).asStdString())); break;
          case Kind::blob: values.emplace_back(Blob{result.getString(c).asStdString()}); break;
          case Kind::text: values.emplace_back(result.getString(c).asStdString()); break;
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  std::unique_ptr<sql::Connection> connection_;
  std::unique_ptr<sql::Statement> plain_;  // transaction control and DDL
  std::unordered_map<std::string, Prepared> statements_;
  bool broken_ = false;
};

// GET_LOCK names are server-wide: qualify them with the database, and keep
// them within MySQL's 64-character limit.
std::string lockName(const std::string& database, std::string_view name) {
  std::string full = database + "." + std::string(name);
  if (full.size() > 64) full = "parcours." + std::to_string(std::hash<std::string>{}(full));
  return full;
}

// Holds a named server lock for its lifetime.
class NamedLock {
 public:
  NamedLock(MysqlConnection& connection, std::string name) : connection_(connection), name_(std::move(name)) {
    const auto row = connection_.queryOne("SELECT GET_LOCK(?, ?)", {name_, std::int64_t{kGetLockSeconds}});
    if (!row || row->isNull(0) || row->int64(0) != 1) {
      throw core::Error(core::ErrorCode::unavailable, "timed out waiting for database lock " + name_);
    }
  }
  NamedLock(const NamedLock&) = delete;
  NamedLock& operator=(const NamedLock&) = delete;

  ~NamedLock() {
    if (connection_.broken()) return;  // the server released it with the connection
    try {
      connection_.query("SELECT RELEASE_LOCK(?)", {name_});
    } catch (const core::Error&) {
      // The connection is closed right after this; closing releases the lock.
    }
  }

 private:
  MysqlConnection& connection_;
  std::string name_;
};

class MysqlDatabase final : public detail::PooledDatabase {
 public:
  MysqlDatabase(sql::mysql::MySQL_Driver& driver, const MysqlOptions& options)
      : PooledDatabase({.capacity = options.poolSize}), driver_(driver), options_(options) {
    // Open one connection now so wrong settings fail at start, not on first use.
    acquire();
  }

  ~MysqlDatabase() override { closeAll(); }

  Dialect dialect() const noexcept override { return Dialect::mysql; }

  // A dedicated connection rather than a pooled one: migrations may run
  // longer than the pool's I/O timeout, and waiting for the lock must not
  // hold a pool slot. The work runs in one write transaction; each DDL
  // statement commits implicitly (MariaDB), so each migration step must be
  // idempotent (storage/migrations.h) — the lock only keeps two processes
  // from running the steps at the same time.
  void withExclusiveLock(std::string_view name, const std::function<void(Transaction&)>& work) override {
    try {
      MysqlConnection connection(driver_, options_, kLockIoTimeoutSeconds);
      const NamedLock lock(connection, lockName(options_.database, name));
      connection.begin(TxMode::write);
      try {
        work(connection);
        connection.commit();
      } catch (...) {
        connection.rollback();
        throw;
      }
    } catch (const TransientError& e) {
      // Not retried here (the work is not necessarily re-runnable as a
      // whole); callers never see TransientError.
      throw core::Error(core::ErrorCode::unavailable, std::string("database busy: ") + e.what());
    }
  }

 protected:
  std::unique_ptr<detail::Connection> connect() override {
    return std::make_unique<MysqlConnection>(driver_, options_, kPoolIoTimeoutSeconds);
  }

 private:
  sql::mysql::MySQL_Driver& driver_;
  const MysqlOptions options_;
};

}  // namespace

std::unique_ptr<Database> openMysql(const MysqlOptions& options) {
  // The driver singleton is created lazily and not thread-safely: get it here,
  // before any pool thread needs it.
  sql::mysql::MySQL_Driver* driver = sql::mysql::get_mysql_driver_instance();
  if (driver == nullptr) throw core::Error(core::ErrorCode::unavailable, "MySQL driver unavailable");
  return std::make_unique<MysqlDatabase>(*driver, options);
}

}  // namespace parcours::storage
