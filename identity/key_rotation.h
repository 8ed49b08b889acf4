#pragma once
// Key rotation of encrypted fields: `parcoursd keys rotate`.
//
// A rotation adds a new key to the key file (which makes it current for
// every daemon: see KeyFileCipher) and re-encrypts every encrypted column
// (values of format 1, not yet bound to their row, are rewritten bound to it),
// batch by batch, each batch in its own transaction. Interrupted, it is
// simply run again: while any value is still under an older key it resumes
// instead of adding yet another key. Rows are updated compare-and-set, so a
// value a daemon rewrote meanwhile is left as the daemon wrote it.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parcours::identity {

// One encrypted column; `context` is the additional data it was sealed with,
// beside the row's `id` (every table listed has an integer primary key `id`).
struct EncryptedColumn {
  std::string table;
  std::string column;
  std::string context;
};

struct RotationReport {
  std::uint32_t keyId = 0;       // the current key afterwards
  bool newKeyAdded = false;      // false when an interrupted rotation was resumed
  std::int64_t reencrypted = 0;  // values rewritten by this run
};

// REQUIRES: table and column names are trusted identifiers (they come from
// the modules' schema code, never from input).
RotationReport rotateKeys(storage::Database& database, const std::string& keyFile,
                          const std::vector<EncryptedColumn>& columns, int batchSize = 500);

// Values still under an older key than the file's current one, or not yet
// bound to their row (format 1).
std::int64_t valuesNeedingRotation(storage::Database& database, const std::string& keyFile,
                                   const std::vector<EncryptedColumn>& columns);

}  // namespace parcours::identity
