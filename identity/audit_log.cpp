#include "identity/audit_log.h"

namespace parcours::identity {

namespace {
std::optional<std::string> clientId(const RequestIds& ids) {
  if (ids.client.empty()) return std::nullopt;
  return ids.client;
}
}  // namespace

void recordAudit(storage::Transaction& tx, const AuditEntry& e, core::Instant at) {
  tx.execute(
      "INSERT INTO audit_log (at, actor_user_id, action, subject_type, subject_id, request_id, client_request_id,"
      " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {at, storage::optional(e.actorUserId), e.action, e.subjectType, e.subjectId, e.requestId.own,
       storage::optional(clientId(e.requestId)), e.detail});
}

std::vector<AuditRecord> findAudit(storage::Transaction& tx, const AuditQuery& q) {
  // Optional filters as "? IS NULL OR column = ?" keep one prepared statement.
  const auto rows = tx.query(
      "SELECT id, at, actor_user_id, action, subject_type, subject_id, request_id, detail, client_request_id"
      " FROM audit_log"
      " WHERE (? IS NULL OR subject_type = ?) AND (? IS NULL OR subject_id = ?)"
      " AND (? IS NULL OR actor_user_id = ?) AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?)"
      " AND id > ? ORDER BY id LIMIT ?",
      {storage::optional(q.subjectType), storage::optional(q.subjectType), storage::optional(q.subjectId),
       storage::optional(q.subjectId), storage::optional(q.actorUserId), storage::optional(q.actorUserId),
       storage::optional(q.from), storage::optional(q.from), storage::optional(q.to), storage::optional(q.to),
       q.afterId.value_or(0), static_cast<std::int64_t>(q.limit)});
  std::vector<AuditRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows) {
    AuditRecord r;
    r.id = row.int64(0);
    r.at = row.instant(1);
    r.entry = {
        row.optInt64(2), row.text(3), row.text(4), row.text(5), RequestIds(row.text(6), row.optText(8).value_or("")),
        row.text(7)};
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace parcours::identity
