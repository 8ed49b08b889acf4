#include "identity/identity_schema.h"

namespace parcours::identity {

namespace {
constexpr const char* kMysqlTable = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
}

std::vector<storage::Migration> identityMigrations() {
  std::vector<storage::Migration> all;
  // E-mail and display name are personal data: stored encrypted, found by a
  // keyed hash of the normalised e-mail (email_lookup).
  all.push_back({"identity/0001_users_tokens_audit",
                 {
                     "CREATE TABLE IF NOT EXISTS users ("
                     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                     " email_lookup TEXT NOT NULL UNIQUE,"
                     " email_enc BLOB NOT NULL,"
                     " display_name_enc BLOB NOT NULL,"
                     " role TEXT NOT NULL,"
                     " password_hash TEXT NOT NULL,"
                     " participant_id INTEGER NULL,"
                     " practitioner_id INTEGER NULL,"
                     " created_at TEXT NOT NULL,"
                     " disabled INTEGER NOT NULL DEFAULT 0)",
                     "CREATE TABLE IF NOT EXISTS tokens ("
                     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                     " user_id INTEGER NOT NULL REFERENCES users(id),"
                     " token_hash TEXT NOT NULL UNIQUE,"
                     " kind TEXT NOT NULL,"
                     " created_at TEXT NOT NULL,"
                     " expires_at TEXT NULL,"
                     " revoked_at TEXT NULL)",
                     "CREATE TABLE IF NOT EXISTS audit_log ("
                     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                     " at TEXT NOT NULL,"
                     " actor_user_id INTEGER NULL,"
                     " action TEXT NOT NULL,"
                     " subject_type TEXT NOT NULL,"
                     " subject_id TEXT NOT NULL,"
                     " request_id TEXT NOT NULL,"
                     " detail TEXT NOT NULL)",
                     "CREATE INDEX IF NOT EXISTS audit_subject ON audit_log (subject_type, subject_id)",
                     "CREATE INDEX IF NOT EXISTS audit_actor ON audit_log (actor_user_id)",
                 },
                 {
                     std::string("CREATE TABLE IF NOT EXISTS users ("
                                 " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                                 " email_lookup CHAR(64) NOT NULL UNIQUE,"
                                 " email_enc VARBINARY(2048) NOT NULL,"
                                 " display_name_enc VARBINARY(2048) NOT NULL,"
                                 " role VARCHAR(20) NOT NULL,"
                                 " password_hash VARCHAR(255) NOT NULL,"
                                 " participant_id BIGINT NULL,"
                                 " practitioner_id BIGINT NULL,"
                                 " created_at DATETIME NOT NULL,"
                                 " disabled TINYINT NOT NULL DEFAULT 0)") +
                         kMysqlTable,
                     std::string("CREATE TABLE IF NOT EXISTS tokens ("
                                 " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                                 " user_id BIGINT NOT NULL,"
                                 " token_hash CHAR(64) NOT NULL UNIQUE,"
                                 " kind VARCHAR(20) NOT NULL,"
                                 " created_at DATETIME NOT NULL,"
                                 " expires_at DATETIME NULL,"
                                 " revoked_at DATETIME NULL,"
                                 " FOREIGN KEY (user_id) REFERENCES users(id))") +
                         kMysqlTable,
                     std::string("CREATE TABLE IF NOT EXISTS audit_log ("
                                 " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                                 " at DATETIME NOT NULL,"
                                 " actor_user_id BIGINT NULL,"
                                 " action VARCHAR(64) NOT NULL,"
                                 " subject_type VARCHAR(32) NOT NULL,"
                                 " subject_id VARCHAR(64) NOT NULL,"
                                 " request_id VARCHAR(128) NOT NULL,"
                                 " detail VARCHAR(1000) NOT NULL,"
                                 " INDEX audit_subject (subject_type, subject_id),"
                                 " INDEX audit_actor (actor_user_id))") +
                         kMysqlTable,
                 }});
  // Accounts that can be closed (issue 9): a password set by someone else
  // must be changed at first sign-in; tokens remember when they were last
  // used (stamped at most once a minute) and are listed per user.
  all.push_back({"identity/0002_accounts",
                 {
                     "ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0",
                     "ALTER TABLE tokens ADD COLUMN last_used_at TEXT NULL",
                     "CREATE INDEX IF NOT EXISTS tokens_user ON tokens (user_id, id)",
                 },
                 {
                     "ALTER TABLE users ADD COLUMN IF NOT EXISTS password_change_required TINYINT NOT NULL DEFAULT 0",
                     "ALTER TABLE tokens ADD COLUMN IF NOT EXISTS last_used_at DATETIME NULL",
                     "CREATE INDEX IF NOT EXISTS tokens_user ON tokens (user_id, id)",
                 }});
  // The audit log keeps the daemon's own request id in request_id and the
  // id a client sent beside it (NULL when none).
  all.push_back({"identity/0003_audit_client_request_id",
                 {"ALTER TABLE audit_log ADD COLUMN client_request_id TEXT NULL"},
                 {"ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS client_request_id VARCHAR(128) NULL"}});
  return all;
}

std::vector<EncryptedColumn> identityEncryptedColumns() {
  return {{"users", "email_enc", "users.email"}, {"users", "display_name_enc", "users.display_name"}};
}

}  // namespace parcours::identity
