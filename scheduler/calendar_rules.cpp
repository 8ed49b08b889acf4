#include "scheduler/calendar_rules.h"

#include "core/error.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

void validateWeeklyWindows(const std::vector<WeeklyWindow>& weekly) {
  for (std::size_t i = 0; i < weekly.size(); ++i) {
    if (weekly[i].end <= weekly[i].start) {
      throw Error(ErrorCode::unprocessable, "end must be after start", "weekly[" + std::to_string(i) + "].end");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (weekly[j].weekday == weekly[i].weekday && weekly[j].start < weekly[i].end &&
          weekly[i].start < weekly[j].end) {
        throw Error(ErrorCode::unprocessable, "windows of one weekday must not overlap",
                    "weekly[" + std::to_string(i) + "]");
      }
    }
  }
}

void validateTimeOff(DateRange range, const std::optional<std::string>& reason) {
  if (range.last < range.first) throw Error(ErrorCode::unprocessable, "must not be before start_date", "end_date");
  if (range.last - range.first > date::days(366)) {
    throw Error(ErrorCode::unprocessable, "time off longer than a year", "end_date");
  }
  if (reason && reason->size() > 500) throw Error(ErrorCode::unprocessable, "at most 500 bytes", "reason");
}

void validateClosureName(const std::string& name) {
  if (name.empty() || name.size() > 200) throw Error(ErrorCode::unprocessable, "1 to 200 bytes", "name");
}

void validateSlotRange(core::LocalDate from, core::LocalDate to) {
  if (to < from) throw Error(ErrorCode::unprocessable, "must not be before from", "to");
  if (to - from > date::days(92)) throw Error(ErrorCode::unprocessable, "at most 92 days at once", "to");
}

}  // namespace parcours::scheduler
