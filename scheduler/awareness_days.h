#pragma once
// Awareness days: group sessions with a capacity and several speakers.
// Seating locks the day's row and the participant's, then counts seats and
// checks the participant's other sessions, so no seat is given twice and
// capacity holds under any concurrency. A seat counts as a session in the
// participant's overlap checks (see SchedulingService).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "identity/identity_service.h"
#include "participants/participant_service.h"
#include "scheduler/calendar_locks.h"
#include "scheduler/calendar_types.h"
#include "storage/database.h"

namespace parcours::scheduler {

struct AwarenessDayView {
  std::int64_t id = 0;
  Interval slot;
  int capacity = 12;
  int seatsTaken = 0;
  std::string location;
  std::vector<std::string> speakers;
};

struct SeatView {
  std::int64_t awarenessDayId = 0;
  std::int64_t participantId = 0;
  std::string participantCode;
  std::string status;  // "seated", "attended", "no_show", "excused"
};

class AwarenessDayService {
 public:
  AwarenessDayService(storage::Database& database, const core::Clock& clock,
                      const participants::ParticipantService& participants);

  AwarenessDayView create(core::Instant start, int minutes, std::optional<int> capacity, const std::string& location,
                          const std::vector<std::string>& speakers, const identity::AuditContext& context);
  AwarenessDayView get(std::int64_t id);
  // 409 when full, already seated, or the participant has a session then.
  SeatView seat(std::int64_t dayId, std::int64_t participantId, const identity::AuditContext& context);
  // The same inside a caller's transaction, after prepareSeat outside it.
  void prepareSeat(std::int64_t dayId, std::int64_t participantId);
  SeatView seatIn(storage::Transaction& tx, std::int64_t dayId, std::int64_t participantId,
                  const identity::AuditContext& context);
  SeatView recordAttendance(std::int64_t dayId, std::int64_t participantId, const std::string& status,
                            const identity::AuditContext& context);

 private:
  AwarenessDayView load(storage::Transaction& tx, std::int64_t id) const;

  storage::Database& database_;
  const core::Clock& clock_;
  const participants::ParticipantService& participants_;
  KnownLockRows knownLocks_;
};

}  // namespace parcours::scheduler
