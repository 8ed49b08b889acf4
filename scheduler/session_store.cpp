#include "scheduler/session_store.h"

#include <array>

#include "core/error.h"
#include "participants/lifecycle.h"
#include "storage/filters.h"

namespace parcours::scheduler {

namespace {

// The practitioner's zone and the participant's code come with the row, so
// a session (or a list of them) is one read.
constexpr const char* kSessionColumns =
    "SELECT s.id, s.practitioner_id, s.participant_id, s.plan_id, s.start_at, s.end_at, s.status, s.cancelled_by,"
    " s.cancel_reason_enc, s.sequence, s.updated_at, p.time_zone, pa.code, s.cancel_reason FROM sessions s"
    " JOIN practitioners p ON p.id = s.practitioner_id JOIN participants pa ON pa.id = s.participant_id";

std::string withColumns(const std::string& rest) {
  return std::string(kSessionColumns) + rest;
}

// The participant statuses of a closed file, as an SQL list.
std::string treatedCondition() {
  std::string closed;
  for (const auto status :
       {participants::Status::referred, participants::Status::eligible, participants::Status::ineligible,
        participants::Status::enrolled, participants::Status::in_therapy, participants::Status::completed,
        participants::Status::withdrawn}) {
    if (!participants::isFinal(status)) continue;
    closed += std::string(closed.empty() ? "" : ", ") + "'" + std::string(participants::toString(status)) + "'";
  }
  return " FROM sessions s JOIN participants pa ON pa.id = s.participant_id WHERE s.practitioner_id = ?"
         " AND s.status <> 'cancelled' AND pa.status NOT IN (" +
         closed + ")";
}

}  // namespace

SessionStore::SessionStore(const identity::KeyFileCipher& cipher) : cipher_(cipher) {}

SessionView SessionStore::fromRow(const storage::Row& row) const {
  SessionView s;
  s.id = row.id<core::SessionTag>(0);
  s.practitionerId = row.id<core::PractitionerTag>(1);
  s.participantId = row.id<core::ParticipantTag>(2);
  if (!row.isNull(3)) s.planId = row.id<core::PlanTag>(3);
  s.slot = {row.instant(4), row.instant(5)};
  s.status = sessionStatusFromString(row.text(6)).value_or(SessionStatus::scheduled);
  if (const auto by = row.optText(7)) s.cancelledBy = cancelledByFromString(*by);
  s.cancelReason = row.isNull(8) ? row.optText(13) : cipher_.decrypt(row.blob(8), kCancelReasonContext, s.id->value());
  s.sequence = static_cast<int>(row.int64(9));
  s.updatedAt = row.instant(10);
  s.zone = &core::findZone(row.text(11));
  s.participantCode = row.text(12);
  return s;
}

SessionView SessionStore::load(storage::Transaction& tx, core::SessionId id) const {
  const auto row = tx.queryOne(withColumns(" WHERE s.id = ?"), {storage::id(id)});
  if (!row) throw core::Error(core::ErrorCode::not_found, "no such session");
  return fromRow(*row);
}

std::optional<core::Instant> SessionStore::startOf(storage::Transaction& tx, core::SessionId id) const {
  const auto row = tx.queryOne("SELECT start_at FROM sessions WHERE id = ?", {storage::id(id)});
  if (!row) return std::nullopt;
  return row->instant(0);
}

std::vector<SessionView> SessionStore::list(storage::Transaction& tx, const SessionFilter& f,
                                            std::optional<core::Instant> afterStart) const {
  storage::Filters where;
  where.add("s.practitioner_id", "=", storage::optional(f.practitionerId))
      .add("s.participant_id", "=", storage::optional(f.participantId))
      .add("s.end_at", ">", storage::optional(f.from))
      .add("s.start_at", "<", storage::optional(f.to));
  storage::Params params = where.params();
  // The cursor: after the previous page's last session, by (start, id).
  // Appended one by one: GCC 12 misreports an initializer list of Values
  // as maybe-uninitialized at -O3.
  for (int i = 0; i < 3; ++i) params.push_back(storage::optional(afterStart));
  params.emplace_back(f.afterSessionId ? f.afterSessionId->value() : std::int64_t{0});
  params.emplace_back(std::int64_t{f.limit});
  std::vector<SessionView> views;
  for (const auto& row : tx.query(withColumns(" WHERE " + where.sql() +
                                              " AND (? IS NULL OR s.start_at > ? OR (s.start_at = ? AND s.id > ?))"
                                              " ORDER BY s.start_at, s.id LIMIT ?"),
                                  params)) {
    views.push_back(fromRow(row));
  }
  return views;
}

std::vector<SessionView> SessionStore::startingFrom(storage::Transaction& tx, core::PractitionerId practitioner,
                                                    core::Instant since, int limit) const {
  std::vector<SessionView> views;
  // The (practitioner_id, start_at) index serves the range and the order.
  for (const auto& row : tx.query(withColumns(" WHERE s.practitioner_id = ? AND s.start_at >= ?"
                                              " ORDER BY s.start_at, s.id LIMIT ?"),
                                  {storage::id(practitioner), since, std::int64_t{limit}})) {
    views.push_back(fromRow(row));
  }
  return views;
}

std::vector<SessionView> SessionStore::scheduledWithin(storage::Transaction& tx, core::PractitionerId practitioner,
                                                       core::Instant from, core::Instant to) const {
  std::vector<SessionView> views;
  for (const auto& row : tx.query(withColumns(" WHERE s.practitioner_id = ? AND s.status = 'scheduled'"
                                              " AND s.start_at < ? AND s.end_at > ? ORDER BY s.start_at"),
                                  {storage::id(practitioner), to, from})) {
    views.push_back(fromRow(row));
  }
  return views;
}

std::vector<SessionView> SessionStore::holdingTime(storage::Transaction& tx, core::PractitionerId practitioner,
                                                   core::ParticipantId participant, Interval span,
                                                   std::optional<core::SessionId> ignore) const {
  std::vector<SessionView> views;
  for (const auto& row : tx.query(withColumns(std::string(" WHERE s.") + kHoldsTimeSql +
                                              " AND (s.practitioner_id = ? OR s.participant_id = ?) AND s.id <> ?"
                                              " AND s.start_at < ? AND s.end_at > ? ORDER BY s.start_at"),
                                  {storage::id(practitioner), storage::id(participant),
                                   ignore ? ignore->value() : std::int64_t{0}, span.end, span.start})) {
    views.push_back(fromRow(row));
  }
  return views;
}

core::SessionId SessionStore::insert(storage::Transaction& tx, const SessionView& s) const {
  // Parameters appended one by one: GCC 12 misreports the initializer-list
  // form here as maybe-uninitialized at -O3.
  storage::Params params;
  params.reserve(7);
  params.emplace_back(s.practitionerId.value());
  params.emplace_back(s.participantId.value());
  params.push_back(storage::optional(s.planId));
  params.emplace_back(s.slot.start);
  params.emplace_back(s.slot.end);
  params.emplace_back(s.updatedAt);
  params.emplace_back(s.updatedAt);
  // RETURNING (SQLite 3.35+, MariaDB 10.5+): the new id without a second round trip.
  return tx
      .query(
          "INSERT INTO sessions (practitioner_id, participant_id, plan_id, start_at, end_at, status,"
          " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'scheduled', ?, ?) RETURNING id",
          params)
      .at(0)
      .id<core::SessionTag>(0);
}

void SessionStore::move(storage::Transaction& tx, core::SessionId id, Interval slot, core::Instant now) const {
  tx.execute("UPDATE sessions SET start_at = ?, end_at = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?",
             {slot.start, slot.end, now, storage::id(id)});
}

void SessionStore::cancel(storage::Transaction& tx, core::SessionId id, SessionStatus status, CancelledBy by,
                          const std::string& reason, core::Instant now) const {
  tx.execute(
      "UPDATE sessions SET status = ?, cancelled_by = ?, cancel_reason_enc = ?, sequence = sequence + 1,"
      " updated_at = ? WHERE id = ?",
      {std::string(toString(status)), std::string(toString(by)),
       storage::Blob{cipher_.encrypt(reason, kCancelReasonContext, id.value())}, now, storage::id(id)});
}

void SessionStore::setStatus(storage::Transaction& tx, core::SessionId id, SessionStatus status,
                             core::Instant now) const {
  tx.execute("UPDATE sessions SET status = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?",
             {std::string(toString(status)), now, storage::id(id)});
}

core::PlanId SessionStore::insertPlan(storage::Transaction& tx, core::ParticipantId participant, const PlanInput& input,
                                      std::optional<std::pair<date::weekday, core::LocalTime>> regularSlot,
                                      core::Instant now) const {
  const auto weekday =
      regularSlot ? storage::Value(std::int64_t{regularSlot->first.iso_encoding()}) : storage::Value(storage::Null{});
  const auto minute =
      regularSlot ? storage::Value(std::int64_t{regularSlot->second.minutes}) : storage::Value(storage::Null{});
  tx.execute(
      "INSERT INTO plans (participant_id, practitioner_id, weeks, start_on, regular_weekday, regular_minute,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {storage::id(participant), storage::id(input.practitionerId), std::int64_t{input.weeks}, input.startOn, weekday,
       minute, now});
  return core::PlanId(tx.lastInsertId());
}

std::vector<std::pair<SessionStatus, int>> SessionStore::statusCounts(storage::Transaction& tx,
                                                                      core::ParticipantId participant) const {
  std::vector<std::pair<SessionStatus, int>> counts;
  for (const auto& row : tx.query("SELECT status, COUNT(*) FROM sessions WHERE participant_id = ? GROUP BY status",
                                  {storage::id(participant)})) {
    if (const auto status = sessionStatusFromString(row.text(0))) {
      counts.emplace_back(*status, static_cast<int>(row.int64(1)));
    }
  }
  return counts;
}

bool SessionStore::treats(storage::Transaction& tx, core::PractitionerId practitioner,
                          core::ParticipantId participant) const {
  static const std::string sql = "SELECT s.id" + treatedCondition() + " AND s.participant_id = ? LIMIT 1";
  return tx.queryOne(sql, {storage::id(practitioner), storage::id(participant)}).has_value();
}

std::vector<core::ParticipantId> SessionStore::treatedBy(storage::Transaction& tx,
                                                         core::PractitionerId practitioner) const {
  static const std::string sql = "SELECT DISTINCT s.participant_id" + treatedCondition() + " ORDER BY s.participant_id";
  std::vector<core::ParticipantId> ids;
  for (const auto& row : tx.query(sql, {storage::id(practitioner)})) ids.push_back(row.id<core::ParticipantTag>(0));
  return ids;
}

int SessionStore::sealClearReasons(storage::Database& database) const {
  // table, clear column, encrypted column, context
  const std::array<std::array<const char*, 4>, 2> columns{{
      {"sessions", "cancel_reason", "cancel_reason_enc", kCancelReasonContext},
      {"time_off", "reason", "reason_enc", kTimeOffReasonContext},
  }};
  int sealed = 0;
  for (const auto& [table, clear, encrypted, context] : columns) {
    const std::string select = std::string("SELECT id, ") + clear + " FROM " + table + " WHERE " + clear +
                               " IS NOT NULL ORDER BY id LIMIT 100";
    const std::string update = std::string("UPDATE ") + table + " SET " + encrypted + " = ?, " + clear +
                               " = NULL WHERE id = ? AND " + clear + " = ?";
    for (;;) {
      const int done = database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
        int n = 0;
        for (const auto& row : tx.query(select)) {
          const std::int64_t id = row.int64(0);
          n += static_cast<int>(
              tx.execute(update, {storage::Blob{cipher_.encrypt(row.text(1), context, id)}, id, row.text(1)}));
        }
        return n;
      });
      sealed += done;
      if (done == 0) break;
    }
  }
  return sealed;
}

}  // namespace parcours::scheduler
