#include "identity/key_rotation.h"

#include "identity/field_cipher.h"

namespace parcours::identity {

namespace {

// Calls `visit(id, ciphertext)` for every non-NULL value, in id order, one
// read transaction per batch.
void forEachValue(storage::Database& database, const EncryptedColumn& c, int batchSize,
                  const std::function<void(std::int64_t, const std::string&)>& visit) {
  const std::string select = "SELECT id, " + c.column + " FROM " + c.table + " WHERE id > ? AND " + c.column +
                             " IS NOT NULL ORDER BY id LIMIT ?";
  std::int64_t after = 0;
  for (;;) {
    const auto rows = database.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
      return tx.query(select, {after, std::int64_t{batchSize}});
    });
    for (const auto& row : rows) visit(row.int64(0), row.blob(1));
    if (static_cast<int>(rows.size()) < batchSize) return;
    after = rows.back().int64(0);
  }
}

// Values the predicate picks, across the columns.
std::int64_t countValues(storage::Database& database, const std::vector<EncryptedColumn>& columns,
                         const std::function<bool(const std::string&)>& pick) {
  std::int64_t count = 0;
  for (const auto& column : columns) {
    forEachValue(database, column, 1000, [&](std::int64_t, const std::string& value) {
      if (pick(value)) ++count;
    });
  }
  return count;
}

std::int64_t countStale(storage::Database& database, const FieldCipher& cipher,
                        const std::vector<EncryptedColumn>& columns) {
  return countValues(database, columns, [&](const std::string& value) { return cipher.needsRotation(value); });
}

// Values under another key than the current one: while there are any, a
// rotation was interrupted (values merely unbound to their row, under the
// current key, do not count: a rotation adds a key and rewrites them too).
std::int64_t countUnderOlderKeys(storage::Database& database, const FieldCipher& cipher,
                                 const std::vector<EncryptedColumn>& columns) {
  return countValues(database, columns,
                     [&](const std::string& value) { return cipher.keyIdOf(value) != cipher.ring().currentId(); });
}

}  // namespace

std::int64_t valuesNeedingRotation(storage::Database& database, const std::string& keyFile,
                                   const std::vector<EncryptedColumn>& columns) {
  return countStale(database, FieldCipher(KeyRing::loadOrCreate(keyFile)), columns);
}

RotationReport rotateKeys(storage::Database& database, const std::string& keyFile,
                          const std::vector<EncryptedColumn>& columns, int batchSize) {
  RotationReport report;
  KeyRing ring = KeyRing::loadOrCreate(keyFile);
  if (countUnderOlderKeys(database, FieldCipher(ring), columns) == 0) {
    ring = ring.withNewKey();
    ring.save(keyFile);  // from here on, daemons encrypt with the new key
    report.newKeyAdded = true;
  }
  const FieldCipher cipher(ring);
  report.keyId = ring.currentId();
  for (const auto& c : columns) {
    const std::string update = "UPDATE " + c.table + " SET " + c.column + " = ? WHERE id = ? AND " + c.column + " = ?";
    std::vector<std::pair<std::int64_t, std::string>> batch;
    const auto flush = [&] {
      database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
        for (const auto& [id, old] : batch) {
          const std::string fresh = cipher.encrypt(cipher.decrypt(old, c.context, id), c.context, id);
          report.reencrypted += tx.execute(update, {storage::Blob{fresh}, id, storage::Blob{old}});
        }
      });
      batch.clear();
    };
    forEachValue(database, c, batchSize, [&](std::int64_t id, const std::string& value) {
      if (!cipher.needsRotation(value)) return;
      batch.emplace_back(id, value);
      if (static_cast<int>(batch.size()) >= batchSize) flush();
    });
    if (!batch.empty()) flush();
  }
  return report;
}

}  // namespace parcours::identity
