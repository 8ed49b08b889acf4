#pragma once
// Value types of scheduling. Instants are UTC; wall-clock values (weekly
// windows, dates) are read in the practitioner's zone.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"

namespace parcours::scheduler {

// A practitioner's time off (only this module names it).
struct TimeOffTag;
using TimeOffId = core::Id<TimeOffTag>;

// Half-open [start, end).
struct Interval {
  core::Instant start;
  core::Instant end;
  bool operator==(const Interval&) const = default;
};

// A weekly availability window in local wall time: [start, end) on `weekday`.
struct WeeklyWindow {
  date::weekday weekday;
  core::LocalTime start;
  core::LocalTime end;
};

// Inclusive local dates.
struct DateRange {
  core::LocalDate first;
  core::LocalDate last;
};

struct Closure {
  core::LocalDate date;
  std::string name;
  std::string kind;  // "holiday" | "closure"
};

}  // namespace parcours::scheduler
