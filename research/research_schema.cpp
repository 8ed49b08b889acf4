#include "research/research_schema.h"

namespace parcours::research {

std::vector<storage::Migration> researchMigrations() {
  constexpr const char* kMysql = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
  // key_enc: the study's 32-byte key, sealed with the field cipher and bound
  // to its row ("research_studies.key"); it never leaves the daemon.
  // research_exports is append-only: one row per export, written in the
  // transaction that read the exported rows.
  return {
      {"research/0001_studies",
       {"CREATE TABLE IF NOT EXISTS research_studies (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,"
        " purpose TEXT NOT NULL, ethics_reference TEXT NOT NULL, key_enc BLOB NOT NULL,"
        " created_by INTEGER NULL, created_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS research_exports (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " study_id INTEGER NOT NULL, exported_by INTEGER NULL, exported_at TEXT NOT NULL,"
        " row_count INTEGER NOT NULL, sha256 TEXT NOT NULL)"},
       {std::string("CREATE TABLE IF NOT EXISTS research_studies (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    " name VARCHAR(200) NOT NULL, purpose VARCHAR(2000) NOT NULL,"
                    " ethics_reference VARCHAR(200) NOT NULL, key_enc VARBINARY(512) NOT NULL,"
                    " created_by BIGINT NULL, created_at DATETIME NOT NULL)") +
            kMysql,
        std::string("CREATE TABLE IF NOT EXISTS research_exports (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                    " study_id BIGINT NOT NULL, exported_by BIGINT NULL, exported_at DATETIME NOT NULL,"
                    " row_count BIGINT NOT NULL, sha256 CHAR(64) NOT NULL, INDEX research_exports_study (study_id))") +
            kMysql}}};
}

std::vector<identity::EncryptedColumn> researchEncryptedColumns() {
  return {{"research_studies", "key_enc", "research_studies.key"}};
}

}  // namespace parcours::research
