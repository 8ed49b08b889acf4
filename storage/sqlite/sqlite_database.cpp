#include "storage/sqlite/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <unordered_map>

#include "storage/pooled_database.h"
#include "storage/sql_time.h"

namespace parcours::storage {

namespace {

// Busy/locked: another connection holds the lock longer than the busy
// timeout — the whole transaction is worth running again.
bool isTransient(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

[[noreturn]] void raise(sqlite3* db, int code, std::string_view context) {
  const std::string message = std::string(context) + ": " + sqlite3_errmsg(db);
  if (isTransient(code)) throw TransientError(message);
  if ((code & 0xff) == SQLITE_CONSTRAINT) {
    const int extended = sqlite3_extended_errcode(db);
    if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY ||
        extended == SQLITE_CONSTRAINT_FOREIGNKEY) {
      throw ConstraintViolation(message);
    }
  }
  if ((code & 0xff) == SQLITE_TOOBIG) {
    throw core::Error(core::ErrorCode::unprocessable, "value too large");
  }
  throw DatabaseError(message);
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

class SqliteConnection final : public detail::Connection {
 public:
  SqliteConnection(const std::string& path, std::chrono::milliseconds busyTimeout) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw core::Error(core::ErrorCode::unavailable, "cannot open SQLite database: " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(busyTimeout.count()));
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");  // durable across process crashes in WAL mode
    exec("PRAGMA foreign_keys=ON");
    // Zero whole pages when they are (re)formatted and overwrite deleted
    // content: otherwise the unused part of a reused page can carry stale
    // bytes — old rows, or heap memory that once held a request body —
    // into the file, and personal data must never reach it in clear.
    exec("PRAGMA secure_delete=ON");
  }

  ~SqliteConnection() override {
    statements_.clear();
    sqlite3_close_v2(db_);
  }

  // Through the statement cache: sqlite3_exec would parse the text again
  // on every transaction.
  void begin(TxMode mode) override { execute(mode == TxMode::write ? "BEGIN IMMEDIATE" : "BEGIN", {}); }

  void commit() override { execute("COMMIT", {}); }

  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_)) return;  // nothing open (BEGIN failed)
    try {
      execute("ROLLBACK", {});
    } catch (...) {
      broken_ = true;
    }
  }

  bool broken() const noexcept override { return broken_; }

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* statement = prepare(sql, params);
    std::vector<Row> rows;
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(statement, rc, "query");
      rows.emplace_back(readRow(statement));
    }
    sqlite3_reset(statement);
    return rows;
  }

  std::int64_t execute(std::string_view sql, const Params& params) override {
    sqlite3_stmt* statement = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(statement, rc, "execute");
    sqlite3_reset(statement);
    return sqlite3_changes64(db_);
  }

  std::int64_t lastInsertId() override { return sqlite3_last_insert_rowid(db_); }

  Dialect dialect() const noexcept override { return Dialect::sqlite; }

 private:
  void exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) raise(db_, rc, sql);
  }

  [[noreturn]] void fail(sqlite3_stmt* statement, int rc, std::string_view context) {
    sqlite3_reset(statement);
    raise(db_, rc, context);
  }

  // Prepared once per connection and SQL text, then reused.
  sqlite3_stmt* prepare(std::string_view sql, const Params& params) {
    auto found = statements_.find(std::string(sql));
    if (found == statements_.end()) {
      sqlite3_stmt* raw = nullptr;
      const int rc =
          sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
      if (rc != SQLITE_OK) raise(db_, rc, "prepare");
      found = statements_.emplace(std::string(sql), StatementPtr(raw)).first;
    }
    sqlite3_stmt* statement = found->second.get();
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement)) {
      throw DatabaseError("wrong number of parameters for: " + std::string(sql));
    }
    for (std::size_t i = 0; i < params.size(); ++i) bind(statement, static_cast<int>(i) + 1, params[i]);
    return statement;
  }

  void bind(sqlite3_stmt* statement, int index, const Value& value) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<Null>(value)) {
      rc = sqlite3_bind_null(statement, index);
    } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(statement, index, *n);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      rc = sqlite3_bind_text64(statement, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<Blob>(&value)) {
      rc = sqlite3_bind_blob64(statement, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
    } else if (const auto* t = std::get_if<core::Instant>(&value)) {
      const std::string text = formatSqlInstant(*t);
      rc = sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else if (const auto* d = std::get_if<core::LocalDate>(&value)) {
      const std::string text = core::formatDate(*d);
      rc = sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (rc != SQLITE_OK) raise(db_, rc, "bind");
  }

  static Row readRow(sqlite3_stmt* statement) {
    const int columns = sqlite3_column_count(statement);
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_NULL: values.emplace_back(Null{}); break;
        case SQLITE_INTEGER: values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, c))); break;
        case SQLITE_BLOB: {
          const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, c));
          values.emplace_back(
              Blob{std::string(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(statement, c)))});
          break;
        }
        default: {  // TEXT, and FLOAT read as its text form (never used for money)
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
          values.emplace_back(
              std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(statement, c))));
        }
      }
    }
    return Row(std::move(values));
  }

  sqlite3* db_ = nullptr;
  bool broken_ = false;
  std::unordered_map<std::string, StatementPtr> statements_;
};

// The database holds personal data (encrypted fields, but also codes, dates
// and amounts): its missing folders are created 0700 and the file 0600, and
// an existing file (with its -wal and -shm, which SQLite creates with the
// file's mode) that others may read is made private.
void makePrivate(const std::string& path) {
  if (path == ":memory:" || path.empty()) return;
  std::filesystem::path partial;
  for (const auto& part : std::filesystem::path(path).parent_path()) {
    partial /= part;
    ::mkdir(partial.c_str(), 0700);  // EEXIST and others: sqlite3_open reports what matters
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // an empty file is a valid, empty database
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    struct stat info {};
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      ::chmod(file.c_str(), info.st_mode & S_IRWXU);
    }
  }
}

class SqliteDatabase final : public detail::PooledDatabase {
 public:
  explicit SqliteDatabase(const SqliteOptions& options)
      : PooledDatabase({.capacity = options.poolSize}), options_(options) {
    makePrivate(options_.path);
    // Open one connection now so a bad path fails at start, not on first use.
    acquire();
  }

  ~SqliteDatabase() override { closeAll(); }

  Dialect dialect() const noexcept override { return Dialect::sqlite; }

  void withExclusiveLock(std::string_view, const std::function<void(Transaction&)>& work) override {
    // SQLite DDL is transactional: one write transaction is the lock.
    runTransaction(TxMode::write, work);
  }

 protected:
  std::unique_ptr<detail::Connection> connect() override {
    return std::make_unique<SqliteConnection>(options_.path, options_.busyTimeout);
  }

 private:
  const SqliteOptions options_;
};

}  // namespace

std::unique_ptr<Database> openSqlite(const SqliteOptions& options) {
  return std::make_unique<SqliteDatabase>(options);
}

}  // namespace parcours::storage
