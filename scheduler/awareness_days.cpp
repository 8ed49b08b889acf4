#include "scheduler/awareness_days.h"

#include "identity/audit_log.h"
#include "scheduler/calendar_locks.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;
using participants::Status;

namespace {
// Speakers are stored one per line: names of staff and guests, not participants.
std::string joinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}
std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const auto end = text.find('\n', start);
    items.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return items;
}
}  // namespace

AwarenessDayService::AwarenessDayService(storage::Database& database, const core::Clock& clock,
                                         const participants::ParticipantService& participants)
    : database_(database), clock_(clock), participants_(participants) {}

AwarenessDayView AwarenessDayService::create(core::Instant start, int minutes, std::optional<int> capacity,
                                             const std::string& location, const std::vector<std::string>& speakers,
                                             const identity::AuditContext& context) {
  Error errors(ErrorCode::unprocessable, "the awareness day is not valid");
  bool failed = false;
  const auto fail = [&](std::string field, std::string message) {
    errors.addFieldError(std::move(field), std::move(message));
    failed = true;
  };
  if (start < clock_.now()) fail("start", "must not be in the past");
  if (minutes < 30 || minutes > 12 * 60) fail("minutes", "30 to 720");
  const int seats = capacity.value_or(12);
  if (seats < 1 || seats > 500) fail("capacity", "1 to 500");
  if (location.empty() || location.size() > 500) fail("location", "1 to 500 bytes");
  if (speakers.empty() || speakers.size() > 20) fail("speakers", "1 to 20 speakers");
  for (const auto& speaker : speakers) {
    if (speaker.empty() || speaker.size() > 200 || speaker.find('\n') != std::string::npos) {
      fail("speakers", "each speaker 1 to 200 bytes on one line");
      break;
    }
  }
  if (failed) throw errors;
  const auto now = clock_.now();
  const auto id = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute(
        "INSERT INTO group_sessions (start_at, end_at, capacity, location, speakers, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        {start, start + std::chrono::minutes(minutes), std::int64_t{seats}, location, joinLines(speakers), now});
    const auto created = tx.lastInsertId();
    identity::recordAudit(
        tx,
        {context.actorUserId, "awareness_day.create", "awareness_day", std::to_string(created), context.requestId, ""},
        now);
    return created;
  });
  ensureLockRows(database_, {awarenessDayLockRow(id)});
  return get(id);
}

AwarenessDayView AwarenessDayService::load(storage::Transaction& tx, std::int64_t id) const {
  const auto row =
      tx.queryOne("SELECT id, start_at, end_at, capacity, location, speakers FROM group_sessions WHERE id = ?", {id});
  if (!row) throw Error(ErrorCode::not_found, "no such awareness day");
  AwarenessDayView view;
  view.id = row->int64(0);
  view.slot = {row->instant(1), row->instant(2)};
  view.capacity = static_cast<int>(row->int64(3));
  view.location = row->text(4);
  view.speakers = splitLines(row->text(5));
  view.seatsTaken =
      static_cast<int>(tx.queryOne("SELECT COUNT(*) FROM seats WHERE group_session_id = ?", {id})->int64(0));
  return view;
}

AwarenessDayView AwarenessDayService::get(std::int64_t id) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return load(tx, id); });
}

SeatView AwarenessDayService::seat(std::int64_t dayId, std::int64_t participantId,
                                   const identity::AuditContext& context) {
  prepareSeat(dayId, participantId);
  return database_.transact(storage::TxMode::write,
                            [&](storage::Transaction& tx) { return seatIn(tx, dayId, participantId, context); });
}

void AwarenessDayService::prepareSeat(std::int64_t dayId, std::int64_t participantId) {
  knownLocks_.ensure(database_, {awarenessDayLockRow(dayId), participantLockRow(participantId)});
}

SeatView AwarenessDayService::seatIn(storage::Transaction& tx, std::int64_t dayId, std::int64_t participantId,
                                     const identity::AuditContext& context) {
  const auto now = clock_.now();
  lockRows(tx, {awarenessDayLock(dayId), participantLock(participantId)});
  const AwarenessDayView day = load(tx, dayId);
  const auto summary = participants_.summaryIn(tx, core::ParticipantId(participantId));
  if (summary.status != Status::enrolled && summary.status != Status::in_therapy) {
    throw Error(ErrorCode::conflict, "only an enrolled participant can be seated")
        .withMember("current_status", core::jsonQuote(participants::toString(summary.status)));
  }
  if (tx.queryOne("SELECT participant_id FROM seats WHERE group_session_id = ? AND participant_id = ?",
                  {dayId, participantId})) {
    throw Error(ErrorCode::conflict, "the participant is already seated", "participant_id");
  }
  if (day.seatsTaken >= day.capacity) {
    throw Error(ErrorCode::conflict, "the awareness day is full").withMember("capacity", std::to_string(day.capacity));
  }
  const auto clash = tx.queryOne(
      "SELECT id FROM sessions WHERE participant_id = ? AND status NOT IN ('cancelled', 'late_cancelled')"
      " AND start_at < ? AND end_at > ? LIMIT 1",
      {participantId, day.slot.end, day.slot.start});
  if (clash) {
    throw Error(ErrorCode::conflict, "the participant has a session during the awareness day", "participant_id");
  }
  // The participant's lock row is held: no other seat of theirs can appear meanwhile.
  const auto otherDay = tx.queryOne(
      "SELECT g.id FROM seats s JOIN group_sessions g ON g.id = s.group_session_id WHERE s.participant_id = ?"
      " AND g.id <> ? AND g.start_at < ? AND g.end_at > ? LIMIT 1",
      {participantId, dayId, day.slot.end, day.slot.start});
  if (otherDay) {
    throw Error(ErrorCode::conflict, "the participant is seated at another awareness day at that time",
                "participant_id");
  }
  tx.execute("INSERT INTO seats (group_session_id, participant_id, status, created_at) VALUES (?, ?, 'seated', ?)",
             {dayId, participantId, now});
  identity::recordAudit(tx,
                        {context.actorUserId, "awareness_day.seat", "participant", std::to_string(participantId),
                         context.requestId, "awareness day " + std::to_string(dayId)},
                        now);
  return SeatView{dayId, participantId, summary.code, "seated"};
}

SeatView AwarenessDayService::recordAttendance(std::int64_t dayId, std::int64_t participantId,
                                               const std::string& status, const identity::AuditContext& context) {
  if (status != "attended" && status != "no_show" && status != "excused") {
    throw Error(ErrorCode::unprocessable, "must be attended, no_show or excused", "status");
  }
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const AwarenessDayView day = load(tx, dayId);
    if (!tx.queryOne("SELECT participant_id FROM seats WHERE group_session_id = ? AND participant_id = ?",
                     {dayId, participantId})) {
      throw Error(ErrorCode::not_found, "the participant has no seat on this awareness day", "participant_id");
    }
    if (status != "excused" && now < day.slot.start) {
      throw Error(ErrorCode::conflict, "attendance is recorded once the awareness day has started");
    }
    tx.execute("UPDATE seats SET status = ? WHERE group_session_id = ? AND participant_id = ?",
               {status, dayId, participantId});
    identity::recordAudit(tx,
                          {context.actorUserId, "awareness_day.attendance", "participant",
                           std::to_string(participantId), context.requestId, status},
                          now);
    return SeatView{dayId, participantId, participants_.summaryIn(tx, core::ParticipantId(participantId)).code, status};
  });
}

}  // namespace parcours::scheduler
