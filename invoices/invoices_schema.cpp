#include "invoices/invoices_schema.h"

namespace parcours::invoices {

std::vector<storage::Migration> documentMigrations() {
  // Counters hand out gapless numbers (documents, per year): a row is
  // locked and bumped in the transaction that uses the number
  // (document_numbers.h). Its id is older than this module's own.
  const storage::Migration counters{
      "core/0001_counters",
      {"CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"},
      {"CREATE TABLE IF NOT EXISTS counters (name VARCHAR(191) NOT NULL PRIMARY KEY, "
       "value BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}};
  // `number` is unique: even a bug in numbering could not store a number twice.
  // PDFs live beside their documents, insert-only like them: a document
  // issued before PDFs existed gets its row once, at the next start.
  const storage::Migration pdfs{
      "invoices/0003_document_pdfs",
      {"CREATE TABLE IF NOT EXISTS document_pdfs (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL UNIQUE,"
       " pdf_enc BLOB NOT NULL, pdf_sha256 TEXT NOT NULL)"},
      {"CREATE TABLE IF NOT EXISTS document_pdfs (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
       " number VARCHAR(20) NOT NULL UNIQUE, pdf_enc MEDIUMBLOB NOT NULL, pdf_sha256 CHAR(64) NOT NULL)"
       " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}};
  return {counters,
          {"invoices/0001_documents",
           {"CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL UNIQUE,"
            " kind TEXT NOT NULL, participant_id INTEGER NOT NULL, issued_at TEXT NOT NULL, year INTEGER NOT NULL,"
            " currency TEXT NOT NULL, total_cents INTEGER NOT NULL, content_enc BLOB NOT NULL,"
            " content_sha256 TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS documents_participant ON documents (participant_id, id)"},
           {"CREATE TABLE IF NOT EXISTS documents (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " number VARCHAR(20) NOT NULL UNIQUE, kind VARCHAR(20) NOT NULL, participant_id BIGINT NOT NULL,"
            " issued_at DATETIME NOT NULL, year INT NOT NULL, currency CHAR(3) NOT NULL, total_cents BIGINT NOT NULL,"
            " content_enc MEDIUMBLOB NOT NULL, content_sha256 CHAR(64) NOT NULL,"
            " INDEX documents_participant (participant_id, id))"
            " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}},
          pdfs,
          // What content_sha256 and pdf_sha256 hold: 0 plain SHA-256, 1 keyed
          // (see DocumentStore::keyLegacyDigests).
          {"invoices/0004_document_digest_kind",
           {"ALTER TABLE documents ADD COLUMN digest_kind INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE document_pdfs ADD COLUMN digest_kind INTEGER NOT NULL DEFAULT 0"},
           {"ALTER TABLE documents ADD COLUMN IF NOT EXISTS digest_kind INT NOT NULL DEFAULT 0",
            "ALTER TABLE document_pdfs ADD COLUMN IF NOT EXISTS digest_kind INT NOT NULL DEFAULT 0"}}};
}

std::vector<identity::EncryptedColumn> invoicesEncryptedColumns() {
  return {{"documents", "content_enc", "documents.content"},
          {"document_pdfs", "pdf_enc", "document_pdfs.pdf"},
          {"email_outbox", "recipient_enc", "email_outbox.recipient"}};
}

std::vector<storage::Migration> outboxMigrations() {
  return {{"invoices/0002_email_outbox",
           {"CREATE TABLE IF NOT EXISTS email_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
            " document_number TEXT NULL, participant_id INTEGER NOT NULL, recipient_enc BLOB NOT NULL,"
            " payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL,"
            " last_error TEXT NULL, created_at TEXT NOT NULL, sent_at TEXT NULL)",
            "CREATE INDEX IF NOT EXISTS outbox_due ON email_outbox (status, next_attempt_at)"},
           {"CREATE TABLE IF NOT EXISTS email_outbox (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " kind VARCHAR(20) NOT NULL, document_number VARCHAR(20) NULL, participant_id BIGINT NOT NULL,"
            " recipient_enc BLOB NOT NULL, payload TEXT NOT NULL, status VARCHAR(10) NOT NULL, attempts INT NOT NULL,"
            " next_attempt_at DATETIME NOT NULL, last_error VARCHAR(1000) NULL, created_at DATETIME NOT NULL,"
            " sent_at DATETIME NULL, INDEX outbox_due (status, next_attempt_at))"
            " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}}};
}

}  // namespace parcours::invoices
