#pragma once
// What a calendar change must satisfy before anything is read or written:
// pure checks that throw core::Error(unprocessable) naming the field.

#include <optional>
#include <string>
#include <vector>

#include "scheduler/calendar_types.h"

namespace parcours::scheduler {

// Each window ends after it starts, and the windows of one weekday do not
// overlap (field `weekly[i].end` or `weekly[i]`, the first offender).
void validateWeeklyWindows(const std::vector<WeeklyWindow>& weekly);

// Time off: the end not before the start, at most a year long, a reason of
// at most 500 bytes.
void validateTimeOff(DateRange range, const std::optional<std::string>& reason);

// A closure's name: 1 to 200 bytes.
void validateClosureName(const std::string& name);

// A slot search: `to` not before `from`, at most 92 days apart.
void validateSlotRange(core::LocalDate from, core::LocalDate to);

}  // namespace parcours::scheduler
