#include "scheduler/practitioner_store.h"

#include "core/error.h"

namespace parcours::scheduler {

namespace {

constexpr const char* kColumns =
    "SELECT id, display_name, discipline, email, time_zone, session_minutes, buffer_minutes, created_at"
    " FROM practitioners";

PractitionerView fromRow(const storage::Row& row) {
  return {row.id<core::PractitionerTag>(0),
          row.text(1),
          row.text(2),
          row.text(3),
          row.text(4),
          static_cast<int>(row.int64(5)),
          static_cast<int>(row.int64(6)),
          row.instant(7)};
}

}  // namespace

CalendarSettings PractitionerStore::calendarSettings(storage::Transaction& tx, core::PractitionerId id) const {
  const auto row = tx.queryOne("SELECT time_zone, session_minutes, buffer_minutes FROM practitioners WHERE id = ?",
                               {storage::id(id)});
  if (!row) throw core::Error(core::ErrorCode::not_found, "no such practitioner", "practitioner_id");
  return {id, &core::findZone(row->text(0)), static_cast<int>(row->int64(1)), static_cast<int>(row->int64(2))};
}

std::optional<PractitionerView> PractitionerStore::find(storage::Transaction& tx, core::PractitionerId id) const {
  const auto row = tx.queryOne(std::string(kColumns) + " WHERE id = ?", {storage::id(id)});
  if (!row) return std::nullopt;
  return fromRow(*row);
}

std::vector<PractitionerView> PractitionerStore::list(storage::Transaction& tx,
                                                      std::optional<core::PractitionerId> after, int limit) const {
  std::vector<PractitionerView> views;
  for (const auto& row : tx.query(std::string(kColumns) + " WHERE id > ? ORDER BY id LIMIT ?",
                                  {after ? after->value() : std::int64_t{0}, std::int64_t{limit}})) {
    views.push_back(fromRow(row));
  }
  return views;
}

core::PractitionerId PractitionerStore::insert(storage::Transaction& tx, const PractitionerView& p) const {
  tx.execute(
      "INSERT INTO practitioners (display_name, discipline, email, time_zone, session_minutes, buffer_minutes,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {p.displayName, p.discipline, p.email, p.timeZone, std::int64_t{p.sessionMinutes}, std::int64_t{p.bufferMinutes},
       p.createdAt});
  return core::PractitionerId(tx.lastInsertId());
}

void PractitionerStore::replaceFeedToken(storage::Transaction& tx, core::PractitionerId id,
                                         const std::string& tokenHash, core::Instant now) const {
  tx.execute("DELETE FROM feed_tokens WHERE practitioner_id = ?", {storage::id(id)});
  tx.execute("INSERT INTO feed_tokens (practitioner_id, token_hash, created_at) VALUES (?, ?, ?)",
             {storage::id(id), tokenHash, now});
}

std::optional<core::PractitionerId> PractitionerStore::ofFeedToken(storage::Transaction& tx,
                                                                   const std::string& tokenHash) const {
  const auto row = tx.queryOne("SELECT practitioner_id FROM feed_tokens WHERE token_hash = ?", {tokenHash});
  if (!row) return std::nullopt;
  return row->id<core::PractitionerTag>(0);
}

}  // namespace parcours::scheduler
