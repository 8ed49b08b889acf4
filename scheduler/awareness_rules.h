#pragma once
// The rules of awareness days, as pure functions that throw the
// core::Error the client sees.

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "participants/lifecycle.h"
#include "scheduler/awareness_store.h"

namespace parcours::scheduler {

// The day to store (no id, no seats), its capacity 12 unless given. One
// 422 naming every invalid field: start (not before now), minutes (30 to
// 720), capacity (1 to 500), location (1 to 500 bytes), speakers (1 to 20,
// each 1 to 200 bytes on one line).
AwarenessDayView validateAwarenessDay(core::Instant start, int minutes, std::optional<int> capacity,
                                      const std::string& location, const std::vector<std::string>& speakers,
                                      core::Instant now);

// Only an enrolled participant (or one in therapy) is seated; 409 naming
// the current status otherwise.
void requireSeatable(participants::Status status);

// A seat's attendance from its name: attended, no_show or excused; 422 on
// `status` otherwise (seated included).
SeatStatus parseSeatAttendance(const std::string& status);
// All but an excuse wait for the day to start: 409 before.
void requireDayStarted(SeatStatus status, core::Instant dayStart, core::Instant now);

}  // namespace parcours::scheduler
