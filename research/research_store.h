#pragma once
// ResearchStore — the SQL of the research module, inside a caller's
// transaction: studies, the export log, and the facts of every consenting
// file (export_rows.h's FileFacts) read in a few set-wide queries.
//
// The facts come from other modules' tables (participants, sessions, plans,
// seats, practitioners, accounts, ledger, installments, payments), read
// only, in the export's own transaction: an export is a snapshot of the
// whole program, like a report, and one query per table keeps it fast for
// thousands of files. Nothing is written to those tables.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "identity/key_file_cipher.h"
#include "research/export_rows.h"
#include "storage/database.h"

namespace parcours::research {

struct StudyTag;
using StudyId = core::Id<StudyTag>;

struct Study {
  StudyId id{0};
  std::string name, purpose, ethicsReference;
  std::optional<core::UserId> createdBy;
  core::Instant createdAt;
};

struct ExportLogEntry {
  std::int64_t id = 0;
  StudyId study{0};
  std::string studyName, purpose, ethicsReference;
  std::optional<core::UserId> exportedBy;
  core::Instant exportedAt;
  std::int64_t rowCount = 0;
  std::string sha256;
};

class ResearchStore {
 public:
  ResearchStore(const identity::KeyFileCipher& cipher, const date::time_zone& zone) : cipher_(cipher), zone_(zone) {}

  // Inserts the study with `rawKey` sealed to its row → its id.
  StudyId insertStudy(storage::Transaction& tx, const Study& study, const std::string& rawKey) const;
  std::optional<Study> study(storage::Transaction& tx, StudyId id) const;
  std::vector<Study> studies(storage::Transaction& tx) const;
  // The study's key, unsealed. REQUIRES: the study exists.
  std::string keyOf(storage::Transaction& tx, StudyId id) const;

  // Every file whose participant consented to research use, by id.
  std::vector<FileFacts> consentingFiles(storage::Transaction& tx) const;

  void logExport(storage::Transaction& tx, StudyId study, std::optional<core::UserId> by, core::Instant at,
                 std::int64_t rowCount, const std::string& sha256) const;
  // Oldest first, entries with id > `afterId` (a list cursor), at most `limit`.
  std::vector<ExportLogEntry> exportLog(storage::Transaction& tx, std::int64_t afterId, int limit) const;

 private:
  const identity::KeyFileCipher& cipher_;
  const date::time_zone& zone_;
};

}  // namespace parcours::research
