#pragma once
// ResearchService — studies, the de-identified export, aggregate tables and
// the export log (docs/research.md). Each operation is one transaction:
// load (research_store.h), decide with the pure rules (export_rows.h,
// aggregates.h), write, and record the audit entry.
//
// The export's log row — who, which study, how many rows, the SHA-256 of
// the exact bytes handed back — is written in the transaction that read the
// rows, so the log never names an export that did not happen nor misses one
// that did. The caller renders the bytes (CSV is the API's format) through
// `render`, inside that transaction.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "identity/identity_service.h"
#include "identity/key_file_cipher.h"
#include "research/aggregates.h"
#include "research/dictionary.h"
#include "research/export_rows.h"
#include "research/research_store.h"
#include "storage/database.h"

namespace parcours::research {

struct StudyInput {
  std::optional<std::string> name, purpose, ethicsReference;
};

// The export's rows as cells, in the dictionary's column order.
using ExportRenderer = std::function<std::string(const std::vector<ColumnSpec>& columns,
                                                 const std::vector<std::vector<ExportCell>>& rows)>;

struct ExportResult {
  std::string bytes;
  std::int64_t rowCount = 0;
  std::string sha256;  // lower-case hex of `bytes`
};

enum class Dimension { outcome, month, age_band };
std::optional<Dimension> dimensionFromString(std::string_view text);

class ResearchService {
 public:
  ResearchService(storage::Database& database, const identity::KeyFileCipher& cipher, const core::Clock& clock,
                  const date::time_zone& zone);

  // 422 naming the field for a missing, empty, too long or invalid text
  // (name ≤ 200, purpose ≤ 2000, ethics_reference ≤ 200 bytes of UTF-8).
  // Makes the study's key from the operating system's random source.
  StudyId createStudy(const StudyInput& input, const identity::AuditContext& context);
  std::vector<Study> studies();

  // 404 for an unknown study. Audited and logged.
  ExportResult exportStudy(StudyId study, const ExportRenderer& render, const identity::AuditContext& context);
  // 404 for an unknown study. Audited.
  AggregateTable aggregates(StudyId study, Dimension by, const identity::AuditContext& context);

  std::vector<ExportLogEntry> exportLog(std::int64_t afterId, int limit);

 private:
  storage::Database& database_;
  const core::Clock& clock_;
  ResearchStore store_;
};

}  // namespace parcours::research
