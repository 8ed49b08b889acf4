// Bank statement import against bare inserts of the same lines, in one run
// (bench/README.md "Targets": ratio at least 0.5), and the matching cost as
// open installments grow (it must not grow faster than linearly).
//
//   import_bench URL [LINES=5000]
//
// URL is sqlite:PATH or mysql://... (storage/database_url.h); the database
// should be empty: the daemon's migrations are applied to it. Runs in a
// temporary directory (its key files land there). Seeds by bulk SQL, then:
//   1. 1 000 participants with installments 1 and 2 open, and 1 000 payments
//      recorded by hand (BillingService: receipt and PDF) paying installment 1
//      → 1 000 open installments;
//   2. bare: the LINES lines inserted one INSERT each, one transaction, into
//      a copy of bank_lines (same columns and indexes), same driver;
//   3. import: the same shape through ReconciliationService::importStatement
//      (1 000 lines carry the reference of installment 1 and match the
//      recorded payments, rule 1; the rest are unrelated), with a phase
//      breakdown measured on the same state just before;
//   4. import where the 1 000 reference lines (installment 2) have no
//      recorded payment: each records one from the line (receipt and PDF);
//   5. imports of fresh statements of the same shape with 1 000, 10 000 and
//      100 000 open installments (participants added by bulk SQL, 1 000 fresh
//      payment rows for the referenced ones before each).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <random>
#include <string>

#include "bench/import_seed.h"
#include "daemon/open_database.h"
#include "daemon/schema.h"
#include "daemon/services.h"
#include "finance/book_loader.h"
#include "finance/payer_names.h"
#include "identity/secret_file.h"
#include "participants/payment_reference.h"
#include "storage/migrations.h"

using namespace parcours;

namespace {

constexpr int kReferenced = 1000;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

identity::AuditContext benchContext() {
  return {std::nullopt, identity::RequestIds("import-bench")};
}

core::LocalDate todayOf(const core::Clock& clock, const date::time_zone& zone) {
  return core::localDateOf(clock.now(), zone);
}

// A copy of bank_lines (columns, keys, indexes) named bench_bank_lines.
void createBareTable(storage::Database& db) {
  db.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute("DROP TABLE IF EXISTS bench_bank_lines");
    if (db.dialect() == storage::Dialect::mysql) {
      tx.execute("CREATE TABLE bench_bank_lines LIKE bank_lines");
      return;
    }
    for (const auto& row : tx.query("SELECT sql FROM sqlite_master WHERE tbl_name = 'bank_lines' AND sql IS NOT NULL"
                                    " ORDER BY type DESC")) {
      std::string sql = row.text(0);
      for (std::size_t at = sql.find("bank_lines"); at != std::string::npos; at = sql.find("bank_lines", at + 16)) {
        sql.replace(at, 10, "bench_bank_lines");
      }
      tx.execute(sql);
    }
  });
}

// The bare baseline: one INSERT per line (same columns and values, the
// details as plain JSON-sized text), one transaction. Returns seconds.
double bareInserts(storage::Database& db, const finance::ParsedStatement& statement,
                   const identity::KeyedHasher& keys) {
  createBareTable(db);
  const auto lineKeys = finance::lineKeys(statement.lines, keys);
  const core::Instant now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto start = Clock::now();
  db.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    for (std::size_t i = 0; i < statement.lines.size(); ++i) {
      const auto& l = statement.lines[i];
      const std::string details = "{\"account\":\"" + l.account + "\",\"description\":\"" + l.description +
                                  "\",\"reference\":\"\",\"bank_id\":\"" + l.bankId.value_or("") + "\"}";
      tx.execute(
          "INSERT INTO bench_bank_lines (id, statement_id, line_key, booked_on, amount_cents, details_enc, status,"
          " rule, matched_by, matched_at, deposit_id, recorded_payment_id, ignore_kind, candidates, version,"
          " created_at) VALUES (?, 1, ?, ?, ?, ?, 'unmatched', NULL, NULL, NULL, NULL, NULL, NULL, '', 0, ?)",
          {static_cast<std::int64_t>(i + 1), lineKeys[i], l.date, l.amountCents, storage::Blob{details}, now});
    }
  });
  const double seconds = secondsSince(start);
  db.transact(storage::TxMode::write, [](storage::Transaction& tx) { tx.execute("DROP TABLE bench_bank_lines"); });
  return seconds;
}

// The pure phases of an import, on the database's current state (read only).
double phaseBreakdown(storage::Database& db, const finance::ParsedStatement& statement,
                      const identity::KeyedHasher& keys) {
  auto start = Clock::now();
  const auto lineKeys = finance::lineKeys(statement.lines, keys);
  const double keying = secondsSince(start);
  start = Clock::now();
  std::vector<finance::BankLineFacts> facts;
  finance::BookRequest wanted;
  wanted.earliest = wanted.latest = statement.lines.front().date;
  for (const auto& line : statement.lines) {
    finance::BankLineFacts f{
        line.date, line.amountCents, finance::scanReferences(line.description + " " + line.reference), {}};
    for (const auto& pair : finance::payerNamePairs(line.description))
      f.payerAliases.push_back(keys.hash("payer/1 " + pair));
    wanted.participantCodes.insert(f.references.participantCodes.begin(), f.references.participantCodes.end());
    wanted.aliasKeys.insert(f.payerAliases.begin(), f.payerAliases.end());
    wanted.earliest = std::min(wanted.earliest, line.date);
    wanted.latest = std::max(wanted.latest, line.date);
    facts.push_back(std::move(f));
  }
  const double scanning = secondsSince(start);
  start = Clock::now();
  auto book =
      db.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return finance::loadBook(tx, wanted); });
  const double loading = secondsSince(start);
  const std::size_t loose = book.loosePayments.size();
  const std::size_t accounts = book.accountsByCode.size();
  // Rule 4 alone over the unmatched credit lines, on the book as loaded: the
  // search for sums of recorded payments is the costliest rule.
  start = Clock::now();
  int summed = 0;
  for (const auto& f : facts) {
    if (f.amountCents > 0 && f.references.empty()) {
      summed += !finance::paymentSums(book.loosePayments, f.date, f.amountCents, 7, 3).empty();
    }
  }
  const double sums = secondsSince(start);
  // The same calls for 1 cent: the per-line scan of the loose payments, without the subset search.
  start = Clock::now();
  for (const auto& f : facts) {
    if (f.amountCents > 0 && f.references.empty())
      summed += !finance::paymentSums(book.loosePayments, f.date, 1, 7, 3).empty();
  }
  const double scans = secondsSince(start);
  start = Clock::now();
  int matched = 0;
  for (const auto& f : facts) {
    const auto decision = finance::decideMatch(f, book);
    if (decision.applied) {
      finance::consume(book, *decision.applied, f.amountCents);
      ++matched;
    }
  }
  const double matching = secondsSince(start);
  std::printf(
      "  phases (pure, measured apart): line keys %.3f s, reference scan + payer names %.3f s,"
      " book load %.3f s (%zu accounts, %zu loose payments), matching %.3f s (%d automatic);"
      " of which rule 4 alone (payment sums, unreferenced credits, all payments still loose) %.3f s"
      " (%d with a sum; the scan of the loose payments alone %.3f s)\n",
      keying, scanning, loading, accounts, loose, matching, matched, sums, summed, scans);
  return keying + scanning + loading + matching;
}

struct Timed {
  finance::ImportResult result;
  double seconds = 0;
};

Timed timedImport(finance::ReconciliationService& reconciliation, const finance::ParsedStatement& statement) {
  const auto start = Clock::now();
  Timed t;
  t.result = reconciliation.importStatement(statement, "", benchContext());
  t.seconds = secondsSince(start);
  return t;
}

void printImport(const char* what, const Timed& t) {
  std::printf("%s: %.0f lines/s (%d lines in %.3f s; %d matched, %d proposed, %d unmatched)\n", what,
              t.result.newLines / t.seconds, t.result.newLines, t.seconds, t.result.matched, t.result.proposed,
              t.result.unmatched);
}

// Hand-recorded payments of installment 1 for participants [0, count).
void recordByHand(storage::Database& db, billing::BillingService& billing, int count, core::LocalDate today) {
  db.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    for (int j = 0; j < count; ++j) {
      billing::PaymentInput input;
      input.participantId = core::ParticipantId(bench::idOf(j));
      input.amount = core::Money(bench::kInstallmentCents, "CAD");
      input.method = "interac";
      input.receivedOn = bench::dayOf(j, today) - date::days{j % 3};
      billing.recordPaymentIn(tx, input, benchContext());
    }
  });
}

int run(const std::string& url, int lines) {
  const auto settings = daemon::Settings::load("", {}, [](const std::string&) { return std::optional<std::string>(); });
  const auto db = daemon::openDatabase(url, 4);
  storage::migrate(*db, daemon::allMigrations());
  daemon::Services services(settings, *db);
  auto& app = services.app();
  const identity::KeyFileCipher cipher(settings.text("security.key_file"));
  const identity::KeyedHasher keys(identity::loadOrCreateSecret(settings.text("security.digest_key_file")));
  const core::LocalDate today = todayOf(app.clock, app.programZone);
  std::mt19937 random(20261202);
  const char* dialect = db->dialect() == storage::Dialect::mysql ? "MariaDB" : "SQLite";
  std::printf("== %s, %d lines (%d with a reference) ==\n", dialect, lines, kReferenced);

  auto start = Clock::now();
  bench::seedParticipants(*db, cipher, 0, kReferenced, false, today);
  recordByHand(*db, app.billing, kReferenced, today);
  std::printf("seeded %d participants and %d payments recorded by hand in %.1f s; open installments %lld\n",
              kReferenced, kReferenced, secondsSince(start), static_cast<long long>(bench::openInstallments(*db)));

  const auto first = bench::buildStatement("S1", 0, kReferenced, 1, lines, today, random);
  const double bare = bareInserts(*db, first, keys);
  const double pure = phaseBreakdown(*db, first, keys);
  const Timed imported = timedImport(app.reconciliation, first);
  const double bareAfter = bareInserts(*db, first, keys);
  const double bareBest = std::min(bare, bareAfter);
  std::printf("bare inserts: %.0f lines/s (%zu in %.3f s; again after the import: %.3f s)\n",
              first.lines.size() / bareBest, first.lines.size(), bare, bareAfter);
  printImport("import (references match recorded payments)", imported);
  std::printf("  the rest of the import (writes: sealed lines, payment links, events, audit; the lock) ~%.3f s\n",
              imported.seconds - pure);
  std::printf("ratio import/bare = %.2f (target >= 0.50)\n",
              (imported.result.newLines / imported.seconds) / (first.lines.size() / bareBest));

  const auto second = bench::buildStatement("S2", 0, kReferenced, 2, lines, today, random);
  printImport("import (references with no recorded payment: each records one, receipt + PDF)",
              timedImport(app.reconciliation, second));

  std::printf("matching cost as open installments grow (fresh %d-line statements of the same shape):\n", lines);
  std::int64_t seeded = kReferenced;
  double base = 0;
  for (const std::int64_t wanted : {1000LL, 10000LL, 100000LL}) {
    const std::int64_t open = bench::openInstallments(*db);
    start = Clock::now();
    if (open < wanted) bench::seedParticipants(*db, cipher, seeded, wanted - open, true, today);
    seeded += std::max<std::int64_t>(0, wanted - open);
    const std::string batch = std::string("N").append(std::to_string(wanted));
    bench::seedLoosePayments(*db, kReferenced, kReferenced, batch, today);
    const double seeding = secondsSince(start);
    const auto statement = bench::buildStatement(batch, kReferenced, kReferenced, 2, lines, today, random);
    const Timed t = timedImport(app.reconciliation, statement);
    if (base == 0) base = t.seconds;
    std::printf(
        "  %7lld open installments: import %.3f s (%.0f lines/s, %d matched), x%.2f of the first"
        " (seeding took %.1f s)\n",
        static_cast<long long>(bench::openInstallments(*db)), t.seconds, t.result.newLines / t.seconds,
        t.result.matched, t.seconds / base, seeding);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: import_bench URL [LINES=5000]   (URL: sqlite:PATH or mysql://...; empty database)\n");
    return 2;
  }
  const int lines = argc == 3 ? std::atoi(argv[2]) : 5000;
  if (lines < kReferenced + 1 || lines > 1000000) {
    std::fprintf(stderr, "import_bench: LINES must be %d to 1000000\n", kReferenced + 1);
    return 2;
  }
  try {
    // Key files and the like land in a temporary directory, removed at exit.
    char pattern[] = "/tmp/import-bench-XXXXXX";
    const char* dir = mkdtemp(pattern);
    if (dir == nullptr) throw std::runtime_error("mkdtemp failed");
    std::string url = argv[1];
    if (url.rfind("sqlite:", 0) == 0 && url.rfind("sqlite:/", 0) != 0) {
      url = "sqlite:" + std::filesystem::absolute(url.substr(7)).string();  // relative to where we were
    }
    std::filesystem::current_path(dir);
    const int status = run(url, lines);
    std::filesystem::current_path("/");
    std::filesystem::remove_all(dir);
    return status;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "import_bench: %s\n", e.what());
    return 1;
  }
}
