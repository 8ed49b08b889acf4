#include "participants/participant_schema.h"

namespace parcours::participants {

std::vector<storage::Migration> participantMigrations() {
  // *_enc columns hold AES-256-GCM ciphertexts (identity/field_cipher.h);
  // person_key is the keyed hash of normalised name + birth date that finds
  // an earlier participation without decrypting anything.
  const char* columns =
      " code VARCHAR(16) NOT NULL UNIQUE,"
      " status VARCHAR(16) NOT NULL,"
      " language VARCHAR(2) NOT NULL,"
      " given_name_enc %BLOB% NOT NULL,"
      " family_name_enc %BLOB% NOT NULL,"
      " birth_date_enc %BLOB% NOT NULL,"
      " email_enc %BLOB% NULL,"
      " phone_enc %BLOB% NULL,"
      " address_enc %BLOB% NULL,"
      " referral_source VARCHAR(50) NOT NULL,"
      " referral_reference_enc %BLOB% NOT NULL,"
      " referred_on %DATE% NOT NULL,"
      " offence_on %DATE% NULL,"
      " person_key CHAR(64) NOT NULL,"
      " ever_enrolled %INT% NOT NULL DEFAULT 0,"
      " prosecutor_decision VARCHAR(16) NULL,"
      " offence_involved_minor %INT% NULL,"
      " history_of_violence %INT% NULL,"
      " ineligibility_reasons VARCHAR(200) NULL,"
      " eligibility_notes_enc %BLOB% NULL,"
      " eligibility_by %INT% NULL,"
      " eligibility_at %TS% NULL,"
      " commitment_signed_on %DATE% NULL,"
      " commitment_method VARCHAR(20) NULL,"
      " commitment_by %INT% NULL,"
      " withdrawal_reason_enc %BLOB% NULL,"
      " withdrawn_at %TS% NULL,"
      " withdrawn_by %INT% NULL,"
      " created_at %TS% NOT NULL,"
      " created_by %INT% NULL,"
      " updated_at %TS% NOT NULL";
  auto dialect = [&](const std::string& blob, const std::string& date, const std::string& integer,
                     const std::string& ts) {
    std::string text = columns;
    const std::pair<std::string, std::string> replacements[] = {
        {"%BLOB%", blob}, {"%DATE%", date}, {"%INT%", integer}, {"%TS%", ts}};
    for (const auto& [from, to] : replacements) {
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
      }
    }
    return text;
  };
  return {{"participants/0001_participants",
           {"CREATE TABLE IF NOT EXISTS participants (id INTEGER PRIMARY KEY AUTOINCREMENT," +
                dialect("BLOB", "TEXT", "INTEGER", "TEXT") + ")",
            "CREATE INDEX IF NOT EXISTS participants_person ON participants (person_key)"},
           {"CREATE TABLE IF NOT EXISTS participants (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY," +
            dialect("VARBINARY(4096)", "DATE", "BIGINT", "DATETIME") +
            ", INDEX participants_person (person_key))"
            " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}},
          // The row's lock: every status transition first bumps it (a write,
          // so it also conflicts across the nodes of a cluster), then reads
          // the status.
          {"participants/0002_version",
           {"ALTER TABLE participants ADD COLUMN version INTEGER NOT NULL DEFAULT 0"},
           {"ALTER TABLE participants ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 0"}},
          // Consent to research use, given with the commitment (default no):
          // only consenting files are ever exported (research/).
          {"participants/0003_research_consent",
           {"ALTER TABLE participants ADD COLUMN research_consent INTEGER NOT NULL DEFAULT 0"},
           {"ALTER TABLE participants ADD COLUMN IF NOT EXISTS research_consent TINYINT NOT NULL DEFAULT 0"}},
          // When retention anonymised the file (retention/retention_store.h); NULL: not anonymised.
          {"participants/0004_anonymised_at",
           {"ALTER TABLE participants ADD COLUMN anonymised_at TEXT NULL"},
           {"ALTER TABLE participants ADD COLUMN IF NOT EXISTS anonymised_at DATETIME NULL"}}};
}

std::vector<identity::EncryptedColumn> participantEncryptedColumns() {
  std::vector<identity::EncryptedColumn> columns;
  for (const char* field : {"given_name", "family_name", "birth_date", "email", "phone", "address",
                            "referral_reference", "eligibility_notes", "withdrawal_reason"}) {
    columns.push_back({"participants", std::string(field) + "_enc", std::string("participants.") + field});
  }
  return columns;
}

}  // namespace parcours::participants
