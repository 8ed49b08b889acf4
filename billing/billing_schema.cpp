#include "billing/billing_schema.h"

namespace parcours::billing {

std::vector<storage::Migration> billingMigrations() {
  constexpr const char* kMysql = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
  const auto mysql = [&](std::string ddl) { return ddl + kMysql; };
  // ledger_entries is append-only (tests/architecture/walls.sh); the
  // balance is always derived from it. `accounts` is the per-participant
  // lock row and the current fee.
  const storage::Migration accounts{
      "billing/0001_accounts",
      {
          "CREATE TABLE IF NOT EXISTS accounts (participant_id INTEGER PRIMARY KEY, fee_cents INTEGER NOT NULL,"
          " currency TEXT NOT NULL, created_at TEXT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS ledger_entries (id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " participant_id INTEGER NOT NULL, kind TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
          " currency TEXT NOT NULL, document_number TEXT NOT NULL, created_at TEXT NOT NULL)",
          "CREATE INDEX IF NOT EXISTS ledger_participant ON ledger_entries (participant_id)",
          "CREATE TABLE IF NOT EXISTS installments (participant_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
          " due_on TEXT NOT NULL, amount_cents INTEGER NOT NULL, paid_cents INTEGER NOT NULL,"
          " replaced INTEGER NOT NULL, PRIMARY KEY (participant_id, seq))",
          "CREATE TABLE IF NOT EXISTS payments (id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " participant_id INTEGER NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,"
          " method TEXT NOT NULL, received_on TEXT NOT NULL, reference_enc BLOB NULL,"
          " receipt_number TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, created_by INTEGER NULL)",
          "CREATE INDEX IF NOT EXISTS payments_participant ON payments (participant_id, id)",
          "CREATE TABLE IF NOT EXISTS payment_allocations (id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " payment_id INTEGER NOT NULL, seq INTEGER NOT NULL, amount_cents INTEGER NOT NULL)",
          "CREATE INDEX IF NOT EXISTS allocations_payment ON payment_allocations (payment_id)",
          "CREATE TABLE IF NOT EXISTS refunds (id INTEGER PRIMARY KEY AUTOINCREMENT, payment_id INTEGER NOT NULL,"
          " participant_id INTEGER NOT NULL, amount_cents INTEGER NOT NULL, reason_enc BLOB NOT NULL,"
          " number TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, created_by INTEGER NULL)",
          "CREATE INDEX IF NOT EXISTS refunds_payment ON refunds (payment_id)",
      },
      {
          mysql("CREATE TABLE IF NOT EXISTS accounts (participant_id BIGINT NOT NULL PRIMARY KEY,"
                " fee_cents BIGINT NOT NULL, currency CHAR(3) NOT NULL,"
                " created_at DATETIME NOT NULL)"),
          mysql("CREATE TABLE IF NOT EXISTS ledger_entries (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " participant_id BIGINT NOT NULL, kind VARCHAR(10) NOT NULL, amount_cents BIGINT NOT NULL,"
                " currency CHAR(3) NOT NULL, document_number VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL,"
                " INDEX ledger_participant (participant_id))"),
          mysql("CREATE TABLE IF NOT EXISTS installments (participant_id BIGINT NOT NULL, seq INT NOT NULL,"
                " due_on DATE NOT NULL, amount_cents BIGINT NOT NULL, paid_cents BIGINT NOT NULL,"
                " replaced TINYINT NOT NULL, PRIMARY KEY (participant_id, seq))"),
          mysql("CREATE TABLE IF NOT EXISTS payments (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " participant_id BIGINT NOT NULL, amount_cents BIGINT NOT NULL, currency CHAR(3) NOT NULL,"
                " method VARCHAR(20) NOT NULL, received_on DATE NOT NULL, reference_enc BLOB NULL,"
                " receipt_number VARCHAR(20) NOT NULL UNIQUE, created_at DATETIME NOT NULL,"
                " created_by BIGINT NULL, INDEX payments_participant (participant_id, id))"),
          mysql("CREATE TABLE IF NOT EXISTS payment_allocations (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " payment_id BIGINT NOT NULL, seq INT NOT NULL, amount_cents BIGINT NOT NULL,"
                " INDEX allocations_payment (payment_id))"),
          mysql("CREATE TABLE IF NOT EXISTS refunds (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " payment_id BIGINT NOT NULL, participant_id BIGINT NOT NULL, amount_cents BIGINT NOT NULL,"
                " reason_enc BLOB NOT NULL, number VARCHAR(20) NOT NULL UNIQUE, created_at DATETIME NOT NULL,"
                " created_by BIGINT NULL, INDEX refunds_payment (payment_id))"),
      }};
  // One row per installment and day it was reminded: running the reminders
  // twice in a day sends nothing more.
  const storage::Migration reminders{
      "billing/0002_reminders",
      {"CREATE TABLE IF NOT EXISTS reminders (participant_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
       " reminded_on TEXT NOT NULL, PRIMARY KEY (participant_id, seq, reminded_on))"},
      {"CREATE TABLE IF NOT EXISTS reminders (participant_id BIGINT NOT NULL, seq INT NOT NULL,"
       " reminded_on DATE NOT NULL, PRIMARY KEY (participant_id, seq, reminded_on))"
       " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}};

  // A payment the bank sent back (a returned cheque) is reversed once: its
  // row here is the reversal's lock and record; the ledger holds the entry.
  // A month in closed_periods takes no more payments, refunds or documents.
  const storage::Migration reconciliation{
      "billing/0003_returned_and_closed",
      {
          "CREATE TABLE IF NOT EXISTS returned_payments (payment_id INTEGER PRIMARY KEY,"
          " amount_cents INTEGER NOT NULL, returned_on TEXT NOT NULL, created_at TEXT NOT NULL,"
          " created_by INTEGER NULL)",
          "CREATE TABLE IF NOT EXISTS closed_periods (id INTEGER PRIMARY KEY AUTOINCREMENT,"
          " month TEXT NOT NULL UNIQUE, closed_at TEXT NOT NULL, closed_by INTEGER NULL,"
          " forced INTEGER NOT NULL, reason_enc BLOB NULL)",
          "CREATE INDEX IF NOT EXISTS payments_received ON payments (received_on)",
      },
      {
          mysql("CREATE TABLE IF NOT EXISTS returned_payments (payment_id BIGINT NOT NULL PRIMARY KEY,"
                " amount_cents BIGINT NOT NULL, returned_on DATE NOT NULL, created_at DATETIME NOT NULL,"
                " created_by BIGINT NULL)"),
          mysql("CREATE TABLE IF NOT EXISTS closed_periods (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                " month CHAR(7) NOT NULL UNIQUE, closed_at DATETIME NOT NULL, closed_by BIGINT NULL,"
                " forced TINYINT NOT NULL, reason_enc BLOB NULL)"),
          "CREATE INDEX IF NOT EXISTS payments_received ON payments (received_on)",
      }};

  return {accounts, reminders, reconciliation};
}

std::vector<identity::EncryptedColumn> billingEncryptedColumns() {
  return {{"payments", "reference_enc", "payments.reference"}, {"refunds", "reason_enc", "refunds.reason"},
          {"closed_periods", "reason_enc", "closed_periods.reason"}};
}

}  // namespace parcours::billing
