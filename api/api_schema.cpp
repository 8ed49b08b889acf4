#include "api/api_schema.h"

namespace parcours::api {

std::vector<storage::Migration> idempotencyMigrations() {
  return {{"api/0001_idempotency_keys",
           {"CREATE TABLE IF NOT EXISTS idempotency_keys (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " user_id INTEGER NOT NULL, route TEXT NOT NULL, key_hash TEXT NOT NULL, request_sha256 TEXT NOT NULL,"
            " status INTEGER NOT NULL, response_enc BLOB NOT NULL, created_at TEXT NOT NULL,"
            " UNIQUE (user_id, route, key_hash))",
            "CREATE INDEX IF NOT EXISTS idempotency_age ON idempotency_keys (user_id, created_at)"},
           {"CREATE TABLE IF NOT EXISTS idempotency_keys (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " user_id BIGINT NOT NULL, route VARCHAR(191) NOT NULL, key_hash CHAR(64) NOT NULL,"
            " request_sha256 CHAR(64) NOT NULL, status INT NOT NULL, response_enc MEDIUMBLOB NOT NULL,"
            " created_at DATETIME NOT NULL, UNIQUE KEY idempotency_scope (user_id, route, key_hash),"
            " INDEX idempotency_age (user_id, created_at))"
            " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}},
          // request_sha256 keeps its name; request_digest_kind says what it
          // holds (0: plain SHA-256, 1: keyed; see keyLegacyDigests).
          {"api/0002_idempotency_keyed_digest",
           {"ALTER TABLE idempotency_keys ADD COLUMN request_digest_kind INTEGER NOT NULL DEFAULT 0"},
           {"ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS request_digest_kind INT NOT NULL DEFAULT 0"}}};
}

std::vector<identity::EncryptedColumn> apiEncryptedColumns() {
  return {{"idempotency_keys", "response_enc", "idempotency_keys.response"}};
}

}  // namespace parcours::api
