#include "api/idempotency.h"

#include "core/error.h"
#include "identity/token.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;

namespace {
constexpr const char* kHeader = "Idempotency-Key";
constexpr const char* kResponseContext = "idempotency_keys.response";
// request_digest_kind: how request_sha256 was made.
constexpr std::int64_t kPlainDigest = 0;  // SHA-256 of the request (before keyed digests)
constexpr std::int64_t kKeyedDigest = 1;  // HMAC-SHA256(digest key, hex SHA-256 of the request)

bool validKey(const std::string& key) {
  if (key.empty() || key.size() > 255) return false;
  for (const char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}
}  // namespace

IdempotentWrites::IdempotentWrites(storage::Database& database, const identity::KeyFileCipher& cipher,
                                   const identity::KeyedHasher& digests, const core::Clock& clock,
                                   std::chrono::hours retention)
    : database_(database), cipher_(cipher), digests_(digests), clock_(clock), retention_(retention) {}

// Keyed over the plain digest, so that records written before can be
// converted without their request.
std::string IdempotentWrites::requestDigest(const std::string& plainSha256) const {
  return digests_.hash(plainSha256);
}

int IdempotentWrites::keyLegacyDigests() {
  int rewritten = 0;
  for (;;) {
    const bool more = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
      const auto row = tx.queryOne(
          "SELECT id, request_sha256 FROM idempotency_keys WHERE request_digest_kind = ? ORDER BY id LIMIT 1",
          {kPlainDigest});
      if (!row) return false;
      tx.execute(
          "UPDATE idempotency_keys SET request_sha256 = ?, request_digest_kind = ? WHERE id = ?"
          " AND request_digest_kind = ?",
          {requestDigest(row->text(1)), kKeyedDigest, row->int64(0), kPlainDigest});
      return true;
    });
    if (!more) return rewritten;
    ++rewritten;
  }
}

Response IdempotentWrites::run(const Request& request, const std::string& route, KeyRule rule,
                               const std::function<Response(storage::Transaction&)>& work) {
  const std::string key = request.header(kHeader);
  if (key.empty()) {
    if (rule == KeyRule::required) throw Error(ErrorCode::bad_request, "is required on this request", kHeader);
    return database_.transact(storage::TxMode::write, work);
  }
  if (!validKey(key)) throw Error(ErrorCode::bad_request, "must be 1 to 255 visible ASCII characters", kHeader);
  const std::int64_t userId = request.principal ? request.principal->userId.value() : 0;
  const std::string keyHash = identity::sha256Hex(key);
  // The path is part of the request: the same key on another payment's
  // refund route is another request.
  const std::string plainHash = identity::sha256Hex(request.method + ' ' + request.path + '\n' + request.body);
  const std::string requestHash = requestDigest(plainHash);
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) -> Response {
    const auto stored = tx.queryOne(
        "SELECT request_sha256, status, response_enc, id, request_digest_kind FROM idempotency_keys"
        " WHERE user_id = ? AND route = ? AND key_hash = ?",
        {userId, route, keyHash});
    if (stored) {
      if (stored->text(0) != (stored->int64(4) == kPlainDigest ? plainHash : requestHash)) {
        throw Error(ErrorCode::conflict, "this Idempotency-Key was used with another request", kHeader);
      }
      return Response::json(static_cast<int>(stored->int64(1)),
                            cipher_.decrypt(stored->blob(2), kResponseContext, stored->int64(3)));
    }
    Response response = work(tx);
    // The record is written after the work, in the same transaction: a
    // duplicate running at the same time does its work too (having waited on
    // the first one's row locks), then fails here on the unique key and rolls
    // all of it back; run again, it finds this record and replays the answer.
    const auto now = clock_.now();
    try {
      tx.execute(
          "INSERT INTO idempotency_keys (user_id, route, key_hash, request_sha256, request_digest_kind, status,"
          " response_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {userId, route, keyHash, requestHash, kKeyedDigest, std::int64_t{response.status}, storage::Blob{}, now});
    } catch (const storage::ConstraintViolation&) {
      throw storage::TransientError("idempotency key taken concurrently");
    }
    // Sealed once the record has its id, which the answer is bound to.
    const std::int64_t id = tx.lastInsertId();
    tx.execute("UPDATE idempotency_keys SET response_enc = ? WHERE id = ?",
               {storage::Blob{cipher_.encrypt(response.body, kResponseContext, id)}, id});
    // Old records go now and then, on the writes that make new ones.
    if (writes_.fetch_add(1, std::memory_order_relaxed) % kPurgeEvery == 0) {
      tx.execute("DELETE FROM idempotency_keys WHERE created_at < ? AND user_id = ?", {now - retention_, userId});
    }
    return response;
  });
}

}  // namespace parcours::api
