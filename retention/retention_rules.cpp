#include "retention/retention_rules.h"

namespace parcours::retention {

using participants::Status;

std::optional<core::LocalDate> closingDay(const FileClosure& file, const date::time_zone& zone) {
  const auto dayOf = [&](const std::optional<core::Instant>& at) -> std::optional<core::LocalDate> {
    if (!at) return std::nullopt;
    return core::localDateOf(*at, zone);
  };
  switch (file.status) {
    case Status::withdrawn: return dayOf(file.withdrawnAt);
    case Status::ineligible: return dayOf(file.eligibilityDecidedAt);
    case Status::completed: return dayOf(file.lastUpdatedAt);
    default: return std::nullopt;
  }
}

core::LocalDate dueOn(core::LocalDate closedOn, int years) {
  const date::year_month_day closed{closedOn};
  date::year_month_day anniversary = closed + date::years(years);
  if (!anniversary.ok()) anniversary = anniversary.year() / anniversary.month() / date::last;  // 29 Feb → 28 Feb
  return core::LocalDate{anniversary};
}

std::vector<ClosedFile> dueFiles(const std::vector<FileClosure>& files, core::LocalDate today, int years,
                                 const date::time_zone& zone) {
  std::vector<ClosedFile> due;
  for (const auto& file : files) {
    const auto closedOn = closingDay(file, zone);
    if (closedOn && dueOn(*closedOn, years) <= today) due.push_back({file.id, file.code, file.status, *closedOn});
  }
  return due;
}

}  // namespace parcours::retention
