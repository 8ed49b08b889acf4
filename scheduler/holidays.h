#pragma once
// Québec public holidays as the program observes them (docs/domain.md,
// "Scheduling" → Closures), computed for any Gregorian year — pure.
//
// Observed dates: 1 January; Good Friday and Easter Monday; National
// Patriots' Day (the last Monday strictly before 25 May); 24 June and 1 July,
// each moved to the Monday when it falls on a Sunday (no other weekend
// shifts); Labour Day (first Monday of September); Thanksgiving (second
// Monday of October); 25 and 26 December.

#include <vector>

#include "core/time.h"
#include "scheduler/calendar_types.h"

namespace parcours::scheduler {

// Years the rules are defined for: the Gregorian calendar starts in 1582 and
// core dates stop at 9999.
inline constexpr int kFirstHolidayYear = 1583;
inline constexpr int kLastHolidayYear = 9999;

// The year's ten holidays, kind "holiday", French names ("Jour de l'An",
// "Vendredi saint", "Lundi de Pâques", "Journée nationale des patriotes",
// "Fête nationale du Québec", "Fête du Canada", "Fête du Travail",
// "Action de grâce", "Noël", "Lendemain de Noël"), sorted by date.
// Throws core::Error(bad_request, field "year") outside
// kFirstHolidayYear..kLastHolidayYear.
std::vector<Closure> quebecHolidays(int year);

// Easter Sunday by the Gregorian computus (the anonymous / Meeus algorithm).
// Same year range and error as quebecHolidays.
core::LocalDate easterSunday(int year);

}  // namespace parcours::scheduler
