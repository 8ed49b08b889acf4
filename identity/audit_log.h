#pragma once
// The append-only audit log: every change, and every read of a participant's
// personal data, with actor, action, subject, request id and time. Entries
// are written with the transaction of the change they record, so a change
// and its entry commit or vanish together. The application only ever
// INSERTs and SELECTs this table.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "storage/database.h"

namespace parcours::identity {

// The request behind an entry: the id the daemon made for it (always; the
// one its log lines and X-Request-Id carry), and the X-Request-Id the client
// sent, kept beside it for correlation only (empty when none, or not an
// acceptable id). A bare string is a daemon-made id (CLI, background jobs).
struct RequestIds {
  std::string own;
  std::string client;

  RequestIds() = default;
  RequestIds(std::string ownId, std::string clientId = {}) : own(std::move(ownId)), client(std::move(clientId)) {}
  RequestIds(const char* ownId) : own(ownId) {}
};

struct AuditEntry {
  std::optional<core::UserId> actorUserId;  // none for the system itself
  std::string action;                       // "participant.create", "participant.read", ...
  std::string subjectType;                  // "participant", "user", ...
  std::string subjectId;
  RequestIds requestId;
  std::string detail;  // never personal data: codes, statuses, field names
};

struct AuditRecord {
  std::int64_t id = 0;
  core::Instant at;
  AuditEntry entry;
};

struct AuditQuery {
  std::optional<std::string> subjectType;
  std::optional<std::string> subjectId;
  std::optional<core::UserId> actorUserId;
  std::optional<core::Instant> from;    // inclusive
  std::optional<core::Instant> to;      // exclusive
  std::optional<std::int64_t> afterId;  // cursor: entries with a larger id
  int limit = 50;
};

void recordAudit(storage::Transaction& tx, const AuditEntry& entry, core::Instant at);
std::vector<AuditRecord> findAudit(storage::Transaction& tx, const AuditQuery& query);

}  // namespace parcours::identity
