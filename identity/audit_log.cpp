#include "identity/audit_log.h"

#include "storage/filters.h"

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
  storage::Filters where;
  where.add("subject_type", "=", storage::optional(q.subjectType))
      .add("subject_id", "=", storage::optional(q.subjectId))
      .add("actor_user_id", "=", storage::optional(q.actorUserId))
      .add("at", ">=", storage::optional(q.from))
      .add("at", "<", storage::optional(q.to));
  storage::Params params = where.params();
  params.insert(params.end(), {q.afterId.value_or(0), static_cast<std::int64_t>(q.limit)});
  const auto rows = tx.query(
      "SELECT id, at, actor_user_id, action, subject_type, subject_id, request_id, detail, client_request_id"
      " FROM audit_log WHERE " +
          where.sql() + " AND id > ? ORDER BY id LIMIT ?",
      params);
  std::vector<AuditRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows) {
    AuditRecord r;
    r.id = row.int64(0);
    r.at = row.instant(1);
    r.entry = {core::optionalId<core::UserId>(row.optInt64(2)),      row.text(3), row.text(4), row.text(5),
               RequestIds(row.text(6), row.optText(8).value_or("")), row.text(7)};
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace parcours::identity
