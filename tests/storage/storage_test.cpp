// The storage suite: the same behaviour asserted on SQLite and on MariaDB.
// Which driver runs is decided by the environment (see test_database.h);
// CTest registers the suite once per driver.

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>

#include <cstdint>
#include <exception>
#include <latch>
#include <limits>
#include <set>
#include <thread>
#include <vector>
#include "tests/support/on_threads.h"

#include "storage/database_url.h"
#include "storage/filters.h"
#include "storage/migrations.h"
#include "storage/mysql/mysql_database.h"
#include "test_database.h"

using namespace parcours;
using namespace parcours::storage;
using parcours::storage::test::TestDatabase;

using parcours::testing::onThreads;

namespace {

core::Instant at(const char* rfc3339) {
  return core::parseInstant(rfc3339);
}

std::int64_t count(Database& db, const std::string& table) {
  return db.transact(TxMode::read,
                     [&](Transaction& tx) { return tx.queryOne("SELECT COUNT(*) FROM " + table)->int64(0); });
}

// DDL per dialect: SQLite types are loose; MariaDB needs sizes and engines.
const char* kValuesTable[] = {
    "CREATE TABLE vals (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, b BLOB, at TEXT)",
    "CREATE TABLE vals (id BIGINT NOT NULL PRIMARY KEY, t VARCHAR(200), n BIGINT, b LONGBLOB, at DATETIME)"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
};
const char* kPeopleTable[] = {
    "CREATE TABLE people (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL)",
    "CREATE TABLE people (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(191) NOT NULL,"
    " name VARCHAR(40) NOT NULL, UNIQUE KEY uq_people_email (email))"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
};
const char* kNotesTable[] = {
    "CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " person_id INTEGER NOT NULL REFERENCES people(id), body TEXT NOT NULL)",
    "CREATE TABLE notes (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, person_id BIGINT NOT NULL,"
    " body TEXT NOT NULL, CONSTRAINT fk_notes_person FOREIGN KEY (person_id) REFERENCES people (id))"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
};
const char* kCountersTable[] = {
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE counters (name VARCHAR(64) NOT NULL PRIMARY KEY, value BIGINT NOT NULL)"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
};

void create(Database& db, const char* const (&ddl)[2]) {
  db.transact(TxMode::write, [&](Transaction& tx) { tx.execute(ddl[tx.dialect() == Dialect::sqlite ? 0 : 1]); });
}

struct Boom {
  int code;
};

// Migrations used by the migration tests: a table, a seed row (which fails
// when inserted twice), an index.
std::vector<Migration> sampleMigrations() {
  return {
      {"test/0001_widgets",
       {"CREATE TABLE IF NOT EXISTS widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"},
       {"CREATE TABLE IF NOT EXISTS widgets (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)"
        " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}},
      {"test/0002_seed",
       {"INSERT INTO widgets (id, name) VALUES (1, 'first')"},
       {"INSERT INTO widgets (id, name) VALUES (1, 'first')"}},
      {"test/0003_index",
       {"CREATE INDEX IF NOT EXISTS ix_widgets_name ON widgets (name)"},
       {"CREATE INDEX IF NOT EXISTS ix_widgets_name ON widgets (name)"}},
  };
}

std::vector<std::string> ids(const std::vector<Migration>& migrations) {
  std::vector<std::string> result;
  for (const auto& m : migrations) result.push_back(m.id);
  return result;
}

}  // namespace

TEST_CASE("typed values round-trip unchanged", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kValuesTable);

  const std::string text = "Éloïse Côté-Ñúñez 🙂";
  const std::string bytes("\0\xff\x01\x00\xfe binary\0", 13);
  const core::Instant instant = at("2027-03-14T07:00:00Z");
  const auto min = std::numeric_limits<std::int64_t>::min();
  const auto max = std::numeric_limits<std::int64_t>::max();

  db.transact(TxMode::write, [&](Transaction& tx) {
    const std::string insert = "INSERT INTO vals (id, t, n, b, at) VALUES (?, ?, ?, ?, ?)";
    CHECK(tx.execute(insert, {std::int64_t{1}, text, min, Blob{bytes}, instant}) == 1);
    CHECK(tx.execute(insert, {std::int64_t{2}, std::string(), max, Blob{}, at("1999-12-31T23:59:59Z")}) == 1);
    CHECK(tx.execute(insert, {std::int64_t{3}, null(), null(), null(), null()}) == 1);
  });

  const auto rows = db.transact(
      TxMode::read, [](Transaction& tx) { return tx.query("SELECT id, t, n, b, at FROM vals ORDER BY id"); });
  REQUIRE(rows.size() == 3);

  CHECK(rows[0].int64(0) == 1);
  CHECK(rows[0].text(1) == text);
  CHECK(rows[0].int64(2) == min);
  CHECK(std::holds_alternative<Blob>(rows[0].value(3)));
  CHECK(rows[0].blob(3) == bytes);
  CHECK(rows[0].blob(3).size() == 13);
  CHECK(rows[0].instant(4) == instant);

  CHECK(rows[1].text(1).empty());
  CHECK_FALSE(rows[1].isNull(1));  // an empty string is not NULL
  CHECK(rows[1].int64(2) == max);
  CHECK(rows[1].blob(3).empty());
  CHECK(rows[1].instant(4) == at("1999-12-31T23:59:59Z"));

  for (std::size_t c = 1; c <= 4; ++c) CHECK(rows[2].isNull(c));
  CHECK_FALSE(rows[2].optText(1).has_value());
  CHECK_FALSE(rows[2].optInt64(2).has_value());
  CHECK_FALSE(rows[2].optInstant(4).has_value());

  // Parameters compare as the column's type: text equality with UTF-8, blob
  // equality with NUL bytes.
  db.transact(TxMode::read, [&](Transaction& tx) {
    CHECK(tx.queryOne("SELECT id FROM vals WHERE t = ?", {text})->int64(0) == 1);
    CHECK(tx.queryOne("SELECT id FROM vals WHERE b = ?", {Blob{bytes}})->int64(0) == 1);
    CHECK(tx.queryOne("SELECT id FROM vals WHERE n = ?", {min})->int64(0) == 1);
  });
}

const char* kDatesTable[] = {
    "CREATE TABLE days (id INTEGER PRIMARY KEY, day TEXT, kind TEXT)",
    "CREATE TABLE days (id BIGINT NOT NULL PRIMARY KEY, day DATE NULL, kind VARCHAR(20))"
    " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
};

TEST_CASE("local dates round-trip, compare and sort as days", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kDatesTable);
  const auto day = [](const char* text) { return core::parseDate(text); };
  db.transact(TxMode::write, [&](Transaction& tx) {
    const std::string insert = "INSERT INTO days (id, day, kind) VALUES (?, ?, ?)";
    tx.execute(insert, {std::int64_t{1}, day("2027-03-14"), std::string("a")});
    tx.execute(insert, {std::int64_t{2}, day("2026-12-31"), std::string("b")});
    tx.execute(insert, {std::int64_t{3}, null(), std::string("a")});
  });
  db.transact(TxMode::read, [&](Transaction& tx) {
    const auto rows = tx.query("SELECT id, day FROM days WHERE day IS NOT NULL ORDER BY day");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].id<core::ParticipantTag>(0) == core::ParticipantId(2));
    CHECK(rows[0].date(1) == day("2026-12-31"));
    CHECK(rows[1].date(1) == day("2027-03-14"));
    CHECK(tx.queryOne("SELECT id FROM days WHERE day >= ?", {day("2027-01-01")})->int64(0) == 1);
    CHECK_FALSE(tx.queryOne("SELECT day FROM days WHERE id = 3")->optDate(0).has_value());
    CHECK_THROWS_AS(tx.queryOne("SELECT kind FROM days WHERE id = 1")->date(0), DatabaseError);
  });
}

TEST_CASE("optional filters hold one statement: an absent value lets every row through", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kDatesTable);
  db.transact(TxMode::write, [&](Transaction& tx) {
    const std::string insert = "INSERT INTO days (id, day, kind) VALUES (?, ?, ?)";
    tx.execute(insert, {std::int64_t{1}, core::parseDate("2027-01-10"), std::string("a")});
    tx.execute(insert, {std::int64_t{2}, core::parseDate("2027-02-10"), std::string("b")});
    tx.execute(insert, {std::int64_t{3}, core::parseDate("2027-03-10"), std::string("a")});
  });
  const auto ids = [&](std::optional<std::string> kind, std::optional<core::LocalDate> from) {
    Filters where;
    where.add("kind", "=", optional(kind)).add("day", ">=", optional(from));
    return db.transact(TxMode::read, [&](Transaction& tx) {
      std::vector<std::int64_t> out;
      for (const auto& row : tx.query("SELECT id FROM days WHERE " + where.sql() + " ORDER BY id", where.params())) {
        out.push_back(row.int64(0));
      }
      return out;
    });
  };
  CHECK(ids(std::nullopt, std::nullopt) == std::vector<std::int64_t>{1, 2, 3});
  CHECK(ids("a", std::nullopt) == std::vector<std::int64_t>{1, 3});
  CHECK(ids(std::nullopt, core::parseDate("2027-02-01")) == std::vector<std::int64_t>{2, 3});
  CHECK(ids("a", core::parseDate("2027-02-01")) == std::vector<std::int64_t>{3});
  CHECK(Filters().sql() == "1 = 1");
}

TEST_CASE("instants sort and compare by time", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kValuesTable);

  const std::vector<core::Instant> instants = {
      at("2027-03-14T07:00:00Z"), at("2027-11-07T05:30:00Z"), at("1999-12-31T23:59:59Z"),
      at("2038-01-19T03:14:08Z"), at("2027-03-14T06:59:59Z"), at("2100-02-28T12:00:00Z"),
  };
  db.transact(TxMode::write, [&](Transaction& tx) {
    std::int64_t id = 0;
    for (const auto& i : instants) tx.execute("INSERT INTO vals (id, at) VALUES (?, ?)", {++id, i});
  });

  auto sorted = instants;
  std::sort(sorted.begin(), sorted.end());
  const auto read = db.transact(TxMode::read, [](Transaction& tx) {
    std::vector<core::Instant> result;
    for (const Row& row : tx.query("SELECT at FROM vals ORDER BY at")) result.push_back(row.instant(0));
    return result;
  });
  CHECK(read == sorted);

  const auto from = at("2027-03-14T07:00:00Z");
  const auto later = db.transact(TxMode::read, [&](Transaction& tx) {
    return tx.queryOne("SELECT COUNT(*) FROM vals WHERE at >= ?", {from})->int64(0);
  });
  CHECK(later == std::count_if(instants.begin(), instants.end(), [&](auto i) { return i >= from; }));
}

TEST_CASE("a transaction whose work throws leaves nothing and rethrows the same exception", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kPeopleTable);

  try {
    db.transact(TxMode::write, [](Transaction& tx) {
      tx.execute("INSERT INTO people (email, name) VALUES (?, ?)", {std::string("a@example.org"), std::string("A")});
      throw Boom{42};
    });
    FAIL("the exception did not propagate");
  } catch (const Boom& boom) {
    CHECK(boom.code == 42);
  }
  CHECK(count(db, "people") == 0);

  // The connection is usable afterwards and nothing leaked into the next transaction.
  db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO people (email, name) VALUES (?, ?)", {std::string("b@example.org"), std::string("B")});
  });
  CHECK(count(db, "people") == 1);
  CHECK(db.poolStats().inUse == 0);
}

TEST_CASE("concurrent read-modify-write transactions lose no update", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kCountersTable);
  db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO counters (name, value) VALUES (?, ?)", {std::string("hits"), std::int64_t{0}});
  });

  constexpr int kThreads = 16;
  constexpr int kIncrements = 50;
  onThreads(kThreads, [&](int) {
    for (int i = 0; i < kIncrements; ++i) {
      db.transact(TxMode::write, [](Transaction& tx) {
        const std::string select = tx.dialect() == Dialect::mysql
                                       ? "SELECT value FROM counters WHERE name = ? FOR UPDATE"
                                       : "SELECT value FROM counters WHERE name = ?";
        const std::int64_t value = tx.queryOne(select, {std::string("hits")})->int64(0);
        tx.execute("UPDATE counters SET value = ? WHERE name = ?", {value + 1, std::string("hits")});
      });
    }
  });

  const auto final = db.transact(TxMode::read, [](Transaction& tx) {
    return tx.queryOne("SELECT value FROM counters WHERE name = ?", {std::string("hits")})->int64(0);
  });
  CHECK(final == kThreads * kIncrements);
  const PoolStats stats = db.poolStats();
  CHECK(stats.inUse == 0);
  CHECK(stats.size <= stats.capacity);
}

TEST_CASE("a unique-key violation is a ConstraintViolation and leaves nothing", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kPeopleTable);
  db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO people (email, name) VALUES (?, ?)", {std::string("taken@example.org"), std::string("A")});
  });

  try {
    db.transact(TxMode::write, [](Transaction& tx) {
      tx.execute("INSERT INTO people (email, name) VALUES (?, ?)",
                 {std::string("other@example.org"), std::string("B")});
      tx.execute("INSERT INTO people (email, name) VALUES (?, ?)",
                 {std::string("taken@example.org"), std::string("C")});
    });
    FAIL("no ConstraintViolation");
  } catch (const ConstraintViolation& e) {
    CHECK(e.code() == core::ErrorCode::conflict);
    // The message may reach logs: it names the key, never the value.
    CHECK_THAT(e.what(), !Catch::Matchers::Contains("taken@example.org"));
  }
  CHECK(count(db, "people") == 1);
  CHECK(db.poolStats().inUse == 0);
}

TEST_CASE("a foreign-key violation is a ConstraintViolation", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kPeopleTable);
  create(db, kNotesTable);

  CHECK_THROWS_AS(
      db.transact(
          TxMode::write,
          [](Transaction& tx) {
            tx.execute("INSERT INTO notes (person_id, body) VALUES (?, ?)", {std::int64_t{999}, std::string("orphan")});
          }),
      ConstraintViolation);
  CHECK(count(db, "notes") == 0);

  // …and deleting a referenced parent too.
  db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO people (email, name) VALUES (?, ?)", {std::string("p@example.org"), std::string("P")});
    tx.execute("INSERT INTO notes (person_id, body) VALUES (?, ?)", {tx.lastInsertId(), std::string("note")});
  });
  CHECK_THROWS_AS(db.transact(TxMode::write, [](Transaction& tx) { tx.execute("DELETE FROM people"); }),
                  ConstraintViolation);
  CHECK(count(db, "people") == 1);
}

TEST_CASE("bad SQL is a DatabaseError", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  try {
    db.transact(TxMode::read, [](Transaction& tx) { tx.query("SELEC 1"); });
    FAIL("no DatabaseError");
  } catch (const DatabaseError& e) {
    CHECK(e.code() == core::ErrorCode::internal);
  }
  CHECK_THROWS_AS(db.transact(TxMode::read, [](Transaction& tx) { tx.query("SELECT * FROM no_such_table"); }),
                  DatabaseError);
  CHECK_THROWS_AS(db.transact(TxMode::read, [](Transaction& tx) { tx.query("SELECT ?", {}); }), DatabaseError);
  CHECK(db.ping());
}

TEST_CASE("migrating twice applies nothing the second time", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  const auto migrations = sampleMigrations();

  CHECK(migrate(db, migrations) == ids(migrations));
  CHECK(migrate(db, migrations).empty());
  CHECK(appliedMigrations(db) == ids(migrations));

  CHECK(count(db, "widgets") == 1);
  db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO widgets (id, name) VALUES (?, ?)", {std::int64_t{2}, std::string("second")});
  });
  CHECK(count(db, "widgets") == 2);

  // A later release adds a migration: only that one runs.
  auto more = migrations;
  more.push_back({"test/0004_more",
                  {"CREATE TABLE gadgets (id INTEGER PRIMARY KEY)"},
                  {"CREATE TABLE gadgets (id BIGINT NOT NULL PRIMARY KEY) ENGINE=InnoDB"}});
  CHECK(migrate(db, more) == std::vector<std::string>{"test/0004_more"});
  CHECK(count(db, "gadgets") == 0);
}

TEST_CASE("two processes migrating at once apply each migration exactly once", "[storage]") {
  TestDatabase t;
  const auto migrations = sampleMigrations();
  // Each "process" has its own Database object and pool.
  std::vector<std::unique_ptr<Database>> databases;
  databases.push_back(t.openAnother());
  databases.push_back(t.openAnother());
  std::vector<std::vector<std::string>> applied(2);

  onThreads(2, [&](int i) {
    applied[static_cast<std::size_t>(i)] = migrate(*databases[static_cast<std::size_t>(i)], migrations);
  });

  std::multiset<std::string> all(applied[0].begin(), applied[0].end());
  all.insert(applied[1].begin(), applied[1].end());
  const auto expected = ids(migrations);
  CHECK(all == std::multiset<std::string>(expected.begin(), expected.end()));
  CHECK(appliedMigrations(t.db()) == expected);
  CHECK(count(t.db(), "schema_migrations") == 3);
  CHECK(count(t.db(), "widgets") == 1);
}

TEST_CASE("lastInsertId returns the generated key of this connection's last insert", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kPeopleTable);

  const auto [first, second] = db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO people (email, name) VALUES (?, ?)", {std::string("1@example.org"), std::string("One")});
    const std::int64_t a = tx.lastInsertId();
    tx.execute("INSERT INTO people (email, name) VALUES (?, ?)", {std::string("2@example.org"), std::string("Two")});
    return std::pair{a, tx.lastInsertId()};
  });
  CHECK(first > 0);
  CHECK(second > first);
  db.transact(TxMode::read, [&](Transaction& tx) {
    CHECK(tx.queryOne("SELECT name FROM people WHERE id = ?", {first})->text(0) == "One");
    CHECK(tx.queryOne("SELECT name FROM people WHERE id = ?", {second})->text(0) == "Two");
  });
}

TEST_CASE("queryOne returns nothing on no rows and the first row otherwise", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kCountersTable);
  db.transact(TxMode::write, [](Transaction& tx) {
    CHECK_FALSE(tx.queryOne("SELECT value FROM counters WHERE name = ?", {std::string("none")}).has_value());
    tx.execute("INSERT INTO counters (name, value) VALUES ('a', 1), ('b', 2)");
    const auto row = tx.queryOne("SELECT name, value FROM counters ORDER BY value DESC");
    REQUIRE(row.has_value());
    CHECK(row->text(0) == "b");
    CHECK(row->int64(1) == 2);
    CHECK(tx.query("SELECT name FROM counters WHERE value > ?", {std::int64_t{5}}).empty());
  });
}

TEST_CASE("execute counts matched rows, as SQLite does", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kCountersTable);
  db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO counters (name, value) VALUES ('a', 1), ('b', 1), ('c', 2)");
    // A row updated to the value it already has still counts (MariaDB would
    // say 0 without CLIENT_FOUND_ROWS).
    CHECK(tx.execute("UPDATE counters SET value = 1 WHERE name = ?", {std::string("a")}) == 1);
    CHECK(tx.execute("UPDATE counters SET value = 1 WHERE value = 1") == 2);
    CHECK(tx.execute("UPDATE counters SET value = 5 WHERE name = ?", {std::string("zzz")}) == 0);
    CHECK(tx.execute("DELETE FROM counters WHERE value = ?", {std::int64_t{1}}) == 2);
  });
  CHECK(count(db, "counters") == 1);
}

TEST_CASE("Row getters refuse a value of another type", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kValuesTable);
  db.transact(TxMode::write, [](Transaction& tx) {
    tx.execute("INSERT INTO vals (id, t, n) VALUES (?, ?, ?)",
               {std::int64_t{1}, std::string("hello"), std::int64_t{7}});
  });
  const Row row =
      *db.transact(TxMode::read, [](Transaction& tx) { return tx.queryOne("SELECT t, n, b, at FROM vals"); });
  CHECK(row.size() == 4);
  CHECK_THROWS_AS(row.int64(0), DatabaseError);    // text "hello"
  CHECK_THROWS_AS(row.instant(0), DatabaseError);  // text "hello"
  CHECK_THROWS_AS(row.instant(1), DatabaseError);  // integer
  CHECK_THROWS_AS(row.blob(1), DatabaseError);     // integer
  CHECK_THROWS_AS(row.text(2), DatabaseError);     // NULL
  CHECK_THROWS_AS(row.int64(3), DatabaseError);    // NULL
  CHECK_THROWS_AS(row.value(4), DatabaseError);    // no such column
  CHECK(row.int64(1) == 7);
  CHECK(row.text(0) == "hello");
}

TEST_CASE("the pool stays within capacity and gets its connections back", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kCountersTable);

  db.transact(TxMode::read, [&](Transaction& tx) {
    tx.query("SELECT 1");
    CHECK(db.poolStats().inUse == 1);
    // A nested transaction takes a second connection.
    db.transact(TxMode::read, [&](Transaction&) { CHECK(db.poolStats().inUse == 2); });
    CHECK(db.poolStats().inUse == 1);
  });

  onThreads(8, [&](int) {
    for (int i = 0; i < 20; ++i)
      db.transact(TxMode::read, [](Transaction& tx) { tx.query("SELECT COUNT(*) FROM counters"); });
  });
  const PoolStats stats = db.poolStats();
  CHECK(stats.capacity == t.poolCapacity());
  CHECK(stats.size >= 1);
  CHECK(stats.size <= stats.capacity);
  CHECK(stats.inUse == 0);
  CHECK(stats.timeouts == 0);
}

TEST_CASE("ping answers true when the database is there", "[storage]") {
  TestDatabase t;
  CHECK(t.db().ping());
  CHECK(t.db().poolStats().inUse == 0);
}

TEST_CASE("a read transaction reads one snapshot", "[storage]") {
  TestDatabase t;
  Database& db = t.db();
  create(db, kCountersTable);
  db.transact(TxMode::read, [&](Transaction& tx) {
    CHECK(tx.queryOne("SELECT COUNT(*) FROM counters")->int64(0) == 0);
    // Another connection commits a row meanwhile.
    db.transact(TxMode::write,
                [](Transaction& other) { other.execute("INSERT INTO counters (name, value) VALUES ('x', 1)"); });
    CHECK(tx.queryOne("SELECT COUNT(*) FROM counters")->int64(0) == 0);
  });
  CHECK(count(db, "counters") == 1);
}

// ---- MariaDB only -------------------------------------------------------

TEST_CASE("a killed connection is dropped and the transaction runs on a new one", "[storage][mysql]") {
  TestDatabase t;
  if (t.dialect() != Dialect::mysql) {
    SUCCEED("SQLite has no server connections to lose");
    return;
  }
  Database& db = t.db();
  const auto connectionId = [&] {
    return db.transact(TxMode::read, [](Transaction& tx) { return tx.queryOne("SELECT CONNECTION_ID()")->int64(0); });
  };
  const std::int64_t victim = connectionId();
  REQUIRE(db.poolStats().size == 1);  // the next transaction gets the same, idle connection
  t.admin().transact(TxMode::write, [&](Transaction& tx) { tx.execute("KILL CONNECTION ?", {victim}); });

  const auto retriesBefore = db.poolStats().retries;
  const std::int64_t replacement = connectionId();
  CHECK(replacement != victim);
  CHECK(db.poolStats().retries == retriesBefore + 1);
  CHECK(db.poolStats().size == 1);
  CHECK(db.ping());
}

TEST_CASE("a connection lost in the middle of the work runs the whole work again", "[storage][mysql]") {
  TestDatabase t;
  if (t.dialect() != Dialect::mysql) {
    SUCCEED("SQLite has no server connections to lose");
    return;
  }
  Database& db = t.db();
  create(db, kCountersTable);
  int runs = 0;
  db.transact(TxMode::write, [&](Transaction& tx) {
    ++runs;
    tx.execute("INSERT INTO counters (name, value) VALUES (?, ?)", {std::string("run"), std::int64_t{runs}});
    if (runs == 1) {
      const std::int64_t self = tx.queryOne("SELECT CONNECTION_ID()")->int64(0);
      t.admin().transact(TxMode::write, [&](Transaction& admin) { admin.execute("KILL CONNECTION ?", {self}); });
    }
    tx.execute("UPDATE counters SET value = value * 10 WHERE name = ?", {std::string("run")});
  });
  CHECK(runs == 2);
  // Only the second run's effects: the first run's insert died with its connection.
  db.transact(TxMode::read, [](Transaction& tx) {
    const auto rows = tx.query("SELECT value FROM counters");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].int64(0) == 20);
  });
}

TEST_CASE("a connection lost at commit is unavailable and not run again", "[storage][mysql]") {
  TestDatabase t;
  if (t.dialect() != Dialect::mysql) {
    SUCCEED("SQLite has no server connections to lose");
    return;
  }
  Database& db = t.db();
  create(db, kCountersTable);
  int runs = 0;
  try {
    db.transact(TxMode::write, [&](Transaction& tx) {
      ++runs;
      tx.execute("INSERT INTO counters (name, value) VALUES ('x', 1)");
      const std::int64_t self = tx.queryOne("SELECT CONNECTION_ID()")->int64(0);
      t.admin().transact(TxMode::write, [&](Transaction& admin) { admin.execute("KILL CONNECTION ?", {self}); });
    });
    FAIL("the commit on a killed connection succeeded");
  } catch (const core::Error& e) {
    // The outcome of a lost COMMIT is unknown: running the work again could
    // do it twice, so the caller hears "unavailable" at once.
    CHECK(e.code() == core::ErrorCode::unavailable);
    CHECK(dynamic_cast<const TransientError*>(&e) == nullptr);
  }
  CHECK(runs == 1);
  CHECK(db.poolStats().inUse == 0);
  CHECK(db.ping());  // the pool replaced the lost connection
}

TEST_CASE("a deadlock is retried and both transactions commit", "[storage][mysql]") {
  TestDatabase t;
  if (t.dialect() != Dialect::mysql) {
    SUCCEED("SQLite write transactions never interleave (BEGIN IMMEDIATE)");
    return;
  }
  Database& db = t.db();
  create(db, kCountersTable);
  db.transact(TxMode::write,
              [](Transaction& tx) { tx.execute("INSERT INTO counters (name, value) VALUES ('a', 0), ('b', 0)"); });

  // Each thread locks one row, waits until the other holds its row, then
  // asks for the other's: InnoDB must kill one of them (1213).
  std::latch bothLocked(2);
  onThreads(2, [&](int i) {
    const std::string first = i == 0 ? "a" : "b";
    const std::string second = i == 0 ? "b" : "a";
    bool firstAttempt = true;
    db.transact(TxMode::write, [&](Transaction& tx) {
      tx.execute("UPDATE counters SET value = value + 1 WHERE name = ?", {first});
      if (firstAttempt) {
        firstAttempt = false;
        bothLocked.arrive_and_wait();
      }
      tx.execute("UPDATE counters SET value = value + 1 WHERE name = ?", {second});
    });
  });

  CHECK(db.poolStats().retries >= 1);
  db.transact(TxMode::read,
              [](Transaction& tx) { CHECK(tx.queryOne("SELECT SUM(value) FROM counters")->int64(0) == 4); });
}

TEST_CASE("a write transaction sees rows committed after it began (READ COMMITTED)", "[storage][mysql]") {
  TestDatabase t;
  if (t.dialect() != Dialect::mysql) {
    SUCCEED("SQLite write transactions hold the write lock: nothing commits meanwhile");
    return;
  }
  Database& db = t.db();
  create(db, kCountersTable);
  create(db, kPeopleTable);
  db.transact(TxMode::write, [&](Transaction& tx) {
    tx.execute("INSERT INTO counters (name, value) VALUES ('lock', 0)");
    CHECK(tx.queryOne("SELECT COUNT(*) FROM people")->int64(0) == 0);
    db.transact(TxMode::write, [](Transaction& other) {
      other.execute("INSERT INTO people (email, name) VALUES ('x@example.org', 'X')");
    });
    CHECK(tx.queryOne("SELECT COUNT(*) FROM people")->int64(0) == 1);
  });
}

TEST_CASE("values the column cannot hold are refused, not truncated", "[storage][mysql]") {
  TestDatabase t;
  if (t.dialect() != Dialect::mysql) {
    SUCCEED("SQLite does not enforce column sizes: callers validate lengths");
    return;
  }
  Database& db = t.db();
  create(db, kPeopleTable);
  const auto insertName = [&](const std::string& name) {
    db.transact(TxMode::write, [&](Transaction& tx) {
      tx.execute("INSERT INTO people (email, name) VALUES (?, ?)", {std::string("n@example.org"), name});
    });
  };
  try {
    insertName(std::string(41, 'x'));  // name is VARCHAR(40)
    FAIL("an overlong value was accepted");
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::unprocessable);
  }
  try {
    insertName("bad \xff\xfe bytes");
    FAIL("invalid UTF-8 was accepted");
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::unprocessable);
    CHECK_THAT(e.what(), !Catch::Matchers::Contains("\xff"));
  }
  CHECK(count(db, "people") == 0);
  insertName(std::string(40, 'x'));
  CHECK(count(db, "people") == 1);
}

TEST_CASE("a server that refuses us is unavailable, and the message keeps the password out", "[storage][mysql]") {
  TestDatabase t;
  if (t.dialect() != Dialect::mysql) {
    SUCCEED("no server and no credentials on SQLite");
    return;
  }
  const DatabaseUrl url = parseDatabaseUrl(t.mysqlUrl());
  MysqlOptions options;
  options.host = url.host;
  options.port = url.port;
  options.user = url.user;
  options.password = "s3cret-Pa55";  // wrong
  options.database = url.database;
  const auto refused = [&](const MysqlOptions& o) {
    try {
      openMysql(o);
      FAIL("connected");
    } catch (const core::Error& e) {
      CHECK(e.code() == core::ErrorCode::unavailable);
      CHECK_THAT(e.what(), !Catch::Matchers::Contains("s3cret"));
    }
  };
  refused(options);
  options.port = 1;  // nothing listens there
  refused(options);
}
