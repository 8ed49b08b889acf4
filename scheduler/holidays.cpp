#include "scheduler/holidays.h"

#include <algorithm>
#include <string>

#include "core/error.h"

namespace parcours::scheduler {
namespace {

void requireYear(int year) {
  if (year < kFirstHolidayYear || year > kLastHolidayYear) {
    throw core::Error(core::ErrorCode::bad_request,
                      "year must be between " + std::to_string(kFirstHolidayYear) + " and " +
                          std::to_string(kLastHolidayYear) + ", got " + std::to_string(year),
                      "year");
  }
}

core::LocalDate dayOf(int year, unsigned month, unsigned day) {
  return core::LocalDate{date::year{year} / date::month{month} / date::day{day}};
}

// The n-th Monday of a month (n >= 1).
core::LocalDate nthMonday(int year, unsigned month, unsigned n) {
  return core::LocalDate{date::year{year} / date::month{month} / date::Monday[n]};
}

// The Monday on or before `day`.
core::LocalDate mondayOnOrBefore(core::LocalDate day) {
  return day - (date::weekday{day} - date::Monday);
}

// 24 June and 1 July move to the Monday when they fall on a Sunday.
core::LocalDate observedSundayToMonday(core::LocalDate day) {
  return date::weekday{day} == date::Sunday ? day + date::days{1} : day;
}

}  // namespace

core::LocalDate easterSunday(int year) {
  requireYear(year);
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int n = h + l - 7 * m + 114;
  return dayOf(year, static_cast<unsigned>(n / 31), static_cast<unsigned>(n % 31 + 1));
}

std::vector<Closure> quebecHolidays(int year) {
  requireYear(year);
  const core::LocalDate easter = easterSunday(year);
  std::vector<Closure> holidays{
      {dayOf(year, 1, 1), "Jour de l'An", "holiday"},
      {easter - date::days{2}, "Vendredi saint", "holiday"},
      {easter + date::days{1}, "Lundi de Pâques", "holiday"},
      {mondayOnOrBefore(dayOf(year, 5, 24)), "Journée nationale des patriotes", "holiday"},
      {observedSundayToMonday(dayOf(year, 6, 24)), "Fête nationale du Québec", "holiday"},
      {observedSundayToMonday(dayOf(year, 7, 1)), "Fête du Canada", "holiday"},
      {nthMonday(year, 9, 1), "Fête du Travail", "holiday"},
      {nthMonday(year, 10, 2), "Action de grâce", "holiday"},
      {dayOf(year, 12, 25), "Noël", "holiday"},
      {dayOf(year, 12, 26), "Lendemain de Noël", "holiday"},
  };
  // Easter Monday is at the latest 26 April, before Patriots' Day: the list
  // is already in order; sorting keeps that true if a rule ever changes.
  std::stable_sort(holidays.begin(), holidays.end(),
                   [](const Closure& x, const Closure& y) { return x.date < y.date; });
  return holidays;
}

}  // namespace parcours::scheduler
