#include "scheduler/awareness_days.h"

#include "identity/audit_log.h"
#include "scheduler/awareness_rules.h"
#include "scheduler/calendar_locks.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

AwarenessDayService::AwarenessDayService(storage::Database& database, const core::Clock& clock,
                                         const participants::ParticipantService& participants)
    : database_(database), clock_(clock), participants_(participants) {}

AwarenessDayView AwarenessDayService::create(core::Instant start, int minutes, std::optional<int> capacity,
                                             const std::string& location, const std::vector<std::string>& speakers,
                                             const identity::AuditContext& context) {
  const AwarenessDayView day = validateAwarenessDay(start, minutes, capacity, location, speakers, clock_.now());
  const auto now = clock_.now();
  const auto id = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const auto created = store_.insertDay(tx, day, now);
    identity::recordAudit(
        tx, {context.actorUserId, "awareness_day.create", "awareness_day", created.toString(), context.requestId, ""},
        now);
    return created;
  });
  ensureLockRows(database_, {awarenessDayLockRow(id)});
  return get(id);
}

AwarenessDayView AwarenessDayService::load(storage::Transaction& tx, core::GroupSessionId id) const {
  auto day = store_.findDay(tx, id);
  if (!day) throw Error(ErrorCode::not_found, "no such awareness day");
  return std::move(*day);
}

AwarenessDayView AwarenessDayService::get(core::GroupSessionId id) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return load(tx, id); });
}

void AwarenessDayService::prepareSeat(core::GroupSessionId dayId, core::ParticipantId participantId) {
  knownLocks_.ensure(database_, {awarenessDayLockRow(dayId), participantLockRow(participantId)});
}

SeatView AwarenessDayService::seatIn(storage::Transaction& tx, core::GroupSessionId dayId,
                                     core::ParticipantId participantId, const identity::AuditContext& context) {
  const auto now = clock_.now();
  lockRows(tx, {awarenessDayLock(dayId), participantLock(participantId)});
  const AwarenessDayView day = load(tx, dayId);
  const auto summary = participants_.summaryIn(tx, participantId);
  requireSeatable(summary.status);
  if (store_.hasSeat(tx, dayId, participantId)) {
    throw Error(ErrorCode::conflict, "the participant is already seated", "participant_id");
  }
  if (day.seatsTaken >= day.capacity) {
    throw Error(ErrorCode::conflict, "the awareness day is full").withMember("capacity", std::to_string(day.capacity));
  }
  if (store_.hasSessionDuring(tx, participantId, day.slot)) {
    throw Error(ErrorCode::conflict, "the participant has a session during the awareness day", "participant_id");
  }
  // The participant's lock row is held: no other seat of theirs can appear meanwhile.
  if (store_.seatedElsewhere(tx, participantId, dayId, day.slot)) {
    throw Error(ErrorCode::conflict, "the participant is seated at another awareness day at that time",
                "participant_id");
  }
  store_.insertSeat(tx, dayId, participantId, now);
  identity::recordAudit(tx,
                        {context.actorUserId, "awareness_day.seat", "participant", participantId.toString(),
                         context.requestId, "awareness day " + dayId.toString()},
                        now);
  return SeatView{dayId, participantId, summary.code, SeatStatus::seated};
}

SeatView AwarenessDayService::recordAttendance(core::GroupSessionId dayId, core::ParticipantId participantId,
                                               const std::string& status, const identity::AuditContext& context) {
  const SeatStatus attendance = parseSeatAttendance(status);
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const AwarenessDayView day = load(tx, dayId);
    if (!store_.hasSeat(tx, dayId, participantId)) {
      throw Error(ErrorCode::not_found, "the participant has no seat on this awareness day", "participant_id");
    }
    requireDayStarted(attendance, day.slot.start, now);
    store_.setSeatStatus(tx, dayId, participantId, attendance);
    identity::recordAudit(tx,
                          {context.actorUserId, "awareness_day.attendance", "participant", participantId.toString(),
                           context.requestId, status},
                          now);
    return SeatView{dayId, participantId, participants_.summaryIn(tx, participantId).code, attendance};
  });
}

}  // namespace parcours::scheduler
