#pragma once
// Awareness days: group sessions with a capacity and several speakers.
// Seating locks the day's row and the participant's, then counts seats and
// checks the participant's other sessions, so no seat is given twice and
// capacity holds under any concurrency. A seat counts as a session in the
// participant's overlap checks (see SchedulingService).

#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "identity/identity_service.h"
#include "participants/participant_service.h"
#include "scheduler/awareness_store.h"
#include "scheduler/calendar_locks.h"
#include "scheduler/calendar_types.h"
#include "storage/database.h"

namespace parcours::scheduler {

class AwarenessDayService {
 public:
  AwarenessDayService(storage::Database& database, const core::Clock& clock,
                      const participants::ParticipantService& participants);

  AwarenessDayView create(core::Instant start, int minutes, std::optional<int> capacity, const std::string& location,
                          const std::vector<std::string>& speakers, const identity::AuditContext& context);
  AwarenessDayView get(core::GroupSessionId id);
  // Seating runs in the caller's transaction (an idempotent request's), after
  // prepareSeat outside it: it creates the lock rows seatIn bumps (404 when
  // the day or the participant is unknown).
  void prepareSeat(core::GroupSessionId dayId, core::ParticipantId participantId);
  // 409 when full, already seated, or the participant has a session then.
  SeatView seatIn(storage::Transaction& tx, core::GroupSessionId dayId, core::ParticipantId participantId,
                  const identity::AuditContext& context);
  SeatView recordAttendance(core::GroupSessionId dayId, core::ParticipantId participantId, const std::string& status,
                            const identity::AuditContext& context);

 private:
  AwarenessDayView load(storage::Transaction& tx, core::GroupSessionId id) const;  // 404 when unknown

  storage::Database& database_;
  const core::Clock& clock_;
  const participants::ParticipantService& participants_;
  AwarenessStore store_;
  KnownLockRows knownLocks_;
};

}  // namespace parcours::scheduler
