#pragma once
// Idempotency-Key (docs/api.md "Conventions"): a write sent again with the same
// key and the same request gets the first answer again and changes nothing;
// the same key with another request is 409.
//
// The key's record is written in the same transaction as the write itself,
// so a crash can never leave a write without its record or the reverse. A
// duplicate arriving while the first is still running waits on the first's
// row locks (MariaDB) or on the write lock (SQLite), then replays the
// stored answer. A request that fails rolls its record back: the client may
// retry it with the same key. Keys are scoped per user and route, stored as
// hashes; answers are encrypted at rest (they can name people), bound to
// their row, and the request is remembered by a keyed digest only (its body
// names people: a plain hash would let a guess be confirmed offline).
// Records are kept `retention` (at least 24 h), then purged on later writes.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "api/http_message.h"
#include "core/time.h"
#include "identity/key_file_cipher.h"
#include "identity/keyed_hash.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace parcours::api {

enum class KeyRule { required, optional };

class IdempotentWrites {
 public:
  // REQUIRES: database, cipher, digests and clock outlive this; `digests`
  // holds the digest key (security.digest_key_file).
  IdempotentWrites(storage::Database& database, const identity::KeyFileCipher& cipher,
                   const identity::KeyedHasher& digests, const core::Clock& clock, std::chrono::hours retention);

  // Runs `work` in one write transaction together with the key's record.
  // `route` is the route pattern (the key's scope with the caller).
  // REQUIRES: request.principal is set (the route has an access guard).
  Response run(const Request& request, const std::string& route, KeyRule rule,
               const std::function<Response(storage::Transaction&)>& work);

  // Start-up step: replaces the plain SHA-256 request digests of records
  // written before digests were keyed by keyed ones. Idempotent and
  // resumable (one record per transaction, compare-and-set). Returns how
  // many it rewrote.
  int keyLegacyDigests();

 private:
  std::string requestDigest(const std::string& plainSha256) const;

  storage::Database& database_;
  const identity::KeyFileCipher& cipher_;
  const identity::KeyedHasher& digests_;
  const core::Clock& clock_;
  std::chrono::hours retention_;
  static constexpr std::uint64_t kPurgeEvery = 64;
  std::atomic<std::uint64_t> writes_{0};
};

}  // namespace parcours::api
