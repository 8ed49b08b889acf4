#pragma once
// awareness_store — the SQL of awareness days (table group_sessions) and
// their seats, mapping rows to typed values. Every function runs inside the
// caller's transaction.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "scheduler/calendar_types.h"
#include "storage/database.h"

namespace parcours::scheduler {

struct AwarenessDayView {
  core::GroupSessionId id{0};
  Interval slot;
  int capacity = 12;
  int seatsTaken = 0;
  std::string location;
  std::vector<std::string> speakers;
};

// A seat's state: seated until its attendance is recorded.
enum class SeatStatus { seated, attended, no_show, excused };
std::string_view toString(SeatStatus status);
std::optional<SeatStatus> seatStatusFromString(std::string_view text);

struct SeatView {
  core::GroupSessionId awarenessDayId{0};
  core::ParticipantId participantId{0};
  std::string participantCode;
  SeatStatus status = SeatStatus::seated;
};

class AwarenessStore {
 public:
  // `day` gives everything but its id (returned) and its seats.
  core::GroupSessionId insertDay(storage::Transaction& tx, const AwarenessDayView& day, core::Instant now) const;
  // With the number of seats taken; nullopt when unknown.
  std::optional<AwarenessDayView> findDay(storage::Transaction& tx, core::GroupSessionId id) const;

  bool hasSeat(storage::Transaction& tx, core::GroupSessionId day, core::ParticipantId participant) const;
  // Whether the participant holds a seat on another day overlapping `span`.
  bool seatedElsewhere(storage::Transaction& tx, core::ParticipantId participant, core::GroupSessionId day,
                       Interval span) const;
  // Whether the participant has a session holding time that overlaps `span`.
  bool hasSessionDuring(storage::Transaction& tx, core::ParticipantId participant, Interval span) const;
  void insertSeat(storage::Transaction& tx, core::GroupSessionId day, core::ParticipantId participant,
                  core::Instant now) const;
  void setSeatStatus(storage::Transaction& tx, core::GroupSessionId day, core::ParticipantId participant,
                     SeatStatus status) const;

  // The start of the first awareness day the participant attended.
  std::optional<core::Instant> firstAttendedStart(storage::Transaction& tx, core::ParticipantId participant) const;
};

}  // namespace parcours::scheduler
