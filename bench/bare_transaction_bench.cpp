// The baseline of bench/write_throughput: the irreducible work of a booking or a payment
// (bench/README.md "Targets") — lock and bump one row, insert one row —
// as one write transaction through the same driver and pool as the daemon
// (storage::openMysql, Database::transact), with THREADS threads for SECONDS.
//
//   bare_transaction_bench URL THREADS SECONDS
//
// URL is a mysql:// database URL (storage/database_url.h). Creates the tables
// bench_locks and bench_rows if missing, one lock row per thread, and drops
// both tables at the end. Prints "bare transactions: N/s".

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "storage/database.h"
#include "storage/database_url.h"
#include "storage/mysql/mysql_database.h"

using namespace parcours;

namespace {

int positive(std::string_view text, const char* name) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 10000) {
    std::fprintf(stderr, "bare_transaction_bench: %s must be a number from 1 to 10000\n", name);
    std::exit(2);
  }
  return value;
}

void dropTables(storage::Database& database) {
  database.transact(storage::TxMode::write, [](storage::Transaction& tx) {
    tx.execute("DROP TABLE IF EXISTS bench_rows");
    tx.execute("DROP TABLE IF EXISTS bench_locks");
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bare_transaction_bench mysql://USER:PASSWORD@HOST:PORT/DATABASE THREADS SECONDS\n");
    return 2;
  }
  const int threads = positive(argv[2], "THREADS");
  const int seconds = positive(argv[3], "SECONDS");
  try {
    const storage::DatabaseUrl url = storage::parseDatabaseUrl(argv[1]);
    if (url.dialect != storage::Dialect::mysql) {
      std::fprintf(stderr, "bare_transaction_bench: a mysql:// URL is required\n");
      return 2;
    }
    storage::MysqlOptions options;
    options.host = url.host;
    options.port = url.port;
    options.user = url.user;
    options.password = url.password;
    options.database = url.database;
    options.poolSize = static_cast<std::size_t>(threads);  // one connection per thread: no pool waits
    const auto database = storage::openMysql(options);

    database->transact(storage::TxMode::write, [](storage::Transaction& tx) {
      tx.execute("CREATE TABLE IF NOT EXISTS bench_locks (name VARCHAR(64) PRIMARY KEY, version BIGINT NOT NULL)");
      tx.execute(
          "CREATE TABLE IF NOT EXISTS bench_rows (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
          " lock_name VARCHAR(64) NOT NULL, start_at DATETIME NOT NULL, created_at DATETIME NOT NULL)");
    });
    std::vector<std::string> names;
    for (int t = 0; t < threads; ++t) names.push_back("bench:" + std::to_string(t));
    database->transact(storage::TxMode::write, [&](storage::Transaction& tx) {
      for (const auto& name : names) tx.execute("INSERT IGNORE INTO bench_locks (name, version) VALUES (?, 0)", {name});
    });

    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::atomic<bool> failed{false};
    std::vector<std::uint64_t> counts(static_cast<std::size_t>(threads), 0);
    std::vector<std::thread> workers;
    const core::Instant firstStart = date::sys_days{date::year{2027} / 1 / 4};
    std::chrono::steady_clock::time_point deadline;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        const std::string& name = names[static_cast<std::size_t>(t)];
        std::uint64_t done = 0;
        ++ready;
        while (!go.load()) std::this_thread::yield();
        try {
          while (std::chrono::steady_clock::now() < deadline) {
            const core::Instant start = firstStart + std::chrono::hours(static_cast<std::int64_t>(done));
            const core::Instant now =
                std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
            database->transact(storage::TxMode::write, [&](storage::Transaction& tx) {
              tx.execute("UPDATE bench_locks SET version = version + 1 WHERE name = ?", {name});
              tx.execute("INSERT INTO bench_rows (lock_name, start_at, created_at) VALUES (?, ?, ?)",
                         {name, start, now});
            });
            ++done;
          }
        } catch (const std::exception& e) {
          std::fprintf(stderr, "bare_transaction_bench: thread %d: %s\n", t, e.what());
          failed = true;
        }
        counts[static_cast<std::size_t>(t)] = done;
      });
    }
    while (ready.load() < threads) std::this_thread::yield();
    const auto began = std::chrono::steady_clock::now();
    deadline = began + std::chrono::seconds(seconds);
    go = true;
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();

    std::uint64_t total = 0;
    for (const auto c : counts) total += c;
    const auto stats = database->poolStats();
    dropTables(*database);
    std::printf("bare transactions: %.0f/s (%llu in %.1f s, %d threads, pool waits %llu, retries %llu)\n",
                static_cast<double>(total) / elapsed, static_cast<unsigned long long>(total), elapsed, threads,
                static_cast<unsigned long long>(stats.waits), static_cast<unsigned long long>(stats.retries));
    return failed ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bare_transaction_bench: %s\n", e.what());
    return 1;
  }
}
