#include "finance/finance_schema.h"

namespace parcours::finance {

std::vector<storage::Migration> financeMigrations() {
  constexpr const char* kMysql = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
  const auto mysql = [&](std::string ddl) { return ddl + kMysql; };
  // bank_lines.line_key is the line's identity (a keyed digest: the line's
  // text never appears in clear): a line imported again adds nothing. Its
  // account, description and reference are one sealed `details_enc`.
  // A payment is seen at the bank once (bank_line_payments.payment_id
  // unique), a deposit once (bank_lines.deposit_id unique), a payment is in
  // one deposit (deposit_payments.payment_id primary key), and a payment is
  // recorded from a line once (bank_lines.recorded_payment_id unique).
  // finance_locks holds the row every import locks first: imports take
  // their turn, so ids are given in order and overlapping files add each
  // line once.
  const storage::Migration tables{
      "finance/0001_reconciliation",
      {
          "CREATE TABLE IF NOT EXISTS finance_locks (name TEXT PRIMARY KEY, version INTEGER NOT NULL)",
          "INSERT OR IGNORE INTO finance_locks (name, version) VALUES ('import', 0)",
          "CREATE TABLE IF NOT EXISTS bank_statements (id INTEGER PRIMARY KEY AUTOINCREMENT, format TEXT NOT NULL,"
          " line_count INTEGER NOT NULL, new_count INTEGER NOT NULL, imported_at TEXT NOT NULL,"
          " imported_by INTEGER NULL)",
          "CREATE TABLE IF NOT EXISTS bank_lines (id INTEGER PRIMARY KEY, statement_id INTEGER NOT NULL,"
          " line_key TEXT NOT NULL UNIQUE, booked_on TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
          " details_enc BLOB NOT NULL, status TEXT NOT NULL, rule TEXT NULL, matched_by INTEGER NULL,"
          " matched_at TEXT NULL, deposit_id INTEGER NULL UNIQUE, recorded_payment_id INTEGER NULL UNIQUE,"
          " ignore_kind TEXT NULL, candidates TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL)",
          "CREATE INDEX IF NOT EXISTS bank_lines_booked ON bank_lines (booked_on, id)",
          "CREATE INDEX IF NOT EXISTS bank_lines_status ON bank_lines (status, booked_on)",
          "CREATE TABLE IF NOT EXISTS bank_line_payments (line_id INTEGER NOT NULL, payment_id INTEGER NOT NULL UNIQUE,"
          " PRIMARY KEY (line_id, payment_id))",
          "CREATE TABLE IF NOT EXISTS bank_line_events (id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " line_id INTEGER NOT NULL, action TEXT NOT NULL, rule TEXT NULL, actor INTEGER NULL,"
          " at TEXT NOT NULL, detail TEXT NOT NULL)",
          "CREATE INDEX IF NOT EXISTS bank_line_events_line ON bank_line_events (line_id, id)",
          "CREATE TABLE IF NOT EXISTS deposits (id INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT NOT NULL,"
          " deposited_on TEXT NOT NULL, total_cents INTEGER NOT NULL, fee_cents INTEGER NOT NULL,"
          " created_at TEXT NOT NULL, created_by INTEGER NULL)",
          "CREATE INDEX IF NOT EXISTS deposits_day ON deposits (deposited_on)",
          "CREATE TABLE IF NOT EXISTS deposit_payments (payment_id INTEGER PRIMARY KEY,"
          " deposit_id INTEGER NOT NULL)",
          "CREATE INDEX IF NOT EXISTS deposit_payments_deposit ON deposit_payments (deposit_id)",
          "CREATE TABLE IF NOT EXISTS payer_aliases (alias_key TEXT NOT NULL, participant_id INTEGER NOT NULL,"
          " learned_at TEXT NOT NULL, PRIMARY KEY (alias_key, participant_id))",
      },
      {
          mysql("CREATE TABLE IF NOT EXISTS finance_locks (name VARCHAR(32) NOT NULL PRIMARY KEY,"
                " version BIGINT NOT NULL)"),
          "INSERT IGNORE INTO finance_locks (name, version) VALUES ('import', 0)",
          mysql("CREATE TABLE IF NOT EXISTS bank_statements (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " format VARCHAR(64) NOT NULL, line_count INT NOT NULL, new_count INT NOT NULL,"
                " imported_at DATETIME NOT NULL, imported_by BIGINT NULL)"),
          mysql("CREATE TABLE IF NOT EXISTS bank_lines (id BIGINT NOT NULL PRIMARY KEY, statement_id BIGINT NOT NULL,"
                " line_key CHAR(64) NOT NULL UNIQUE, booked_on DATE NOT NULL, amount_cents BIGINT NOT NULL,"
                " details_enc BLOB NOT NULL, status VARCHAR(10) NOT NULL, rule VARCHAR(16) NULL,"
                " matched_by BIGINT NULL, matched_at DATETIME NULL, deposit_id BIGINT NULL UNIQUE,"
                " recorded_payment_id BIGINT NULL UNIQUE, ignore_kind VARCHAR(16) NULL, candidates TEXT NOT NULL,"
                " version BIGINT NOT NULL, created_at DATETIME NOT NULL, INDEX bank_lines_booked (booked_on, id),"
                " INDEX bank_lines_status (status, booked_on))"),
          mysql("CREATE TABLE IF NOT EXISTS bank_line_payments (line_id BIGINT NOT NULL,"
                " payment_id BIGINT NOT NULL UNIQUE, PRIMARY KEY (line_id, payment_id))"),
          mysql("CREATE TABLE IF NOT EXISTS bank_line_events (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " line_id BIGINT NOT NULL, action VARCHAR(16) NOT NULL, rule VARCHAR(16) NULL, actor BIGINT NULL,"
                " at DATETIME NOT NULL, detail TEXT NOT NULL, INDEX bank_line_events_line (line_id, id))"),
          mysql("CREATE TABLE IF NOT EXISTS deposits (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " method VARCHAR(20) NOT NULL, deposited_on DATE NOT NULL, total_cents BIGINT NOT NULL,"
                " fee_cents BIGINT NOT NULL, created_at DATETIME NOT NULL, created_by BIGINT NULL,"
                " INDEX deposits_day (deposited_on))"),
          mysql("CREATE TABLE IF NOT EXISTS deposit_payments (payment_id BIGINT NOT NULL PRIMARY KEY,"
                " deposit_id BIGINT NOT NULL, INDEX deposit_payments_deposit (deposit_id))"),
          mysql("CREATE TABLE IF NOT EXISTS payer_aliases (alias_key CHAR(64) NOT NULL, participant_id BIGINT NOT NULL,"
                " learned_at DATETIME NOT NULL, PRIMARY KEY (alias_key, participant_id))"),
      }};
  return {tables};
}

std::vector<identity::EncryptedColumn> financeEncryptedColumns() {
  return {{"bank_lines", "details_enc", "bank_lines.details"}};
}

}  // namespace parcours::finance
