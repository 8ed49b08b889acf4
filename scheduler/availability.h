#pragma once
// Slot search over one practitioner's calendar — pure: values in, free
// intervals out; no database, no clock.
//
// A start is acceptable when all of these hold (docs/domain.md, "Scheduling"):
// - its local start time (in the practitioner's zone) is on the grid:
//   minutes since local midnight divisible by `granularity`;
// - that local time exists (never in a spring-forward gap), and the start is
//   its earlier instant when the time repeats (fall-back): the repeated hour
//   is offered once;
// - [start, start + length) lies inside one weekly window of its local date,
//   the window's bounds being converted to instants on that date (a bound
//   inside a gap becomes the instant the gap ends), so a session always
//   lasts exactly `length` of real time;
// - its local date is neither a closed date nor inside a time-off range;
// - [start − buffer, start + length + buffer) overlaps no busy interval;
// - it is not before `notBefore` (when given: the present, so nothing is
//   offered or booked in the past).

#include <chrono>
#include <optional>
#include <vector>

#include "core/time.h"
#include "scheduler/calendar_types.h"

namespace parcours::scheduler {

struct CalendarInput {
  const date::time_zone* zone = nullptr;     // the practitioner's zone; REQUIRED
  std::vector<WeeklyWindow> weekly;          // local wall-clock windows
  std::vector<DateRange> timeOff;            // practitioner's time off (inclusive local dates)
  std::vector<core::LocalDate> closedDates;  // holidays + program closures
  std::vector<Interval> busy;                // active sessions/seats; REQUIRED: sorted by start
  std::chrono::minutes buffer{0};            // kept free before and after every session
  std::chrono::minutes granularity{15};      // REQUIRED: > 0
  std::optional<core::Instant> notBefore;    // earliest acceptable start (now); none: no bound
};

// The acceptable starts whose local date is in [from, to] (inclusive), as
// Intervals [start, start + length), sorted by start, each once.
// Empty when from > to. Cost: O(busy) once, then O(log busy) per candidate.
// Throws core::Error(internal) for a null zone or a non-positive granularity
// (caller bugs) and core::Error(unprocessable, "session_minutes") for a
// non-positive length.
std::vector<Interval> findFreeSlots(const CalendarInput& input, core::LocalDate from, core::LocalDate to,
                                    std::chrono::minutes length);

// True when [slot.start − buffer, slot.end + buffer) overlaps no interval of
// `busySorted` (half-open; touching is not overlapping; empty busy intervals
// are ignored).
// REQUIRES: busySorted sorted by start; every busy interval lasts at most
// kLongestBusy (sessions and awareness days do). Binary search, then a look
// back over the intervals starting within kLongestBusy of the slot.
inline constexpr std::chrono::hours kLongestBusy{24};
bool isFree(const std::vector<Interval>& busySorted, Interval slot, std::chrono::minutes buffer);

// Whether `slot` (start and length) is an acceptable start for this calendar:
// exactly the rules of findFreeSlots for one candidate, so that a requested
// start is bookable iff findFreeSlots over its local date offers it. A slot
// with end <= start is not bookable. Same throws as findFreeSlots (minus the
// length one). Makes no assumption on busy interval lengths.
bool isBookable(const CalendarInput& input, Interval slot);

}  // namespace parcours::scheduler
