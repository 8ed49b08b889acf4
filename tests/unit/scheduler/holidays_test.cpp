#include "scheduler/holidays.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.h"

using parcours::core::Error;
using parcours::core::ErrorCode;
using parcours::core::formatDate;
using parcours::core::LocalDate;
using parcours::scheduler::Closure;
using parcours::scheduler::easterSunday;
using parcours::scheduler::quebecHolidays;

namespace {

LocalDate day(int y, unsigned m, unsigned d) {
  return LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

std::optional<LocalDate> dateOf(const std::vector<Closure>& holidays, const std::string& name) {
  for (const auto& holiday : holidays) {
    if (holiday.name == name) return holiday.date;
  }
  return std::nullopt;
}

// (code, field) of the core::Error thrown by f, if any.
template <class F>
std::optional<std::pair<ErrorCode, std::string>> errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::pair{e.code(), e.fieldErrors().empty() ? std::string{} : e.fieldErrors().front().field};
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("Easter Sunday by the Gregorian computus", "[holidays]") {
  CHECK(easterSunday(2024) == day(2024, 3, 31));
  CHECK(easterSunday(2025) == day(2025, 4, 20));
  CHECK(easterSunday(2027) == day(2027, 3, 28));
  CHECK(easterSunday(2038) == day(2038, 4, 25));  // the latest possible date
  CHECK(easterSunday(2285) == day(2285, 3, 22));  // the earliest possible date
  CHECK(date::weekday{easterSunday(1583)} == date::Sunday);
  CHECK(date::weekday{easterSunday(9999)} == date::Sunday);
}

TEST_CASE("the 2027 holidays, in order, named in French", "[holidays]") {
  const auto holidays = quebecHolidays(2027);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& holiday : holidays) {
    CHECK(holiday.kind == "holiday");
    got.emplace_back(formatDate(holiday.date), holiday.name);
  }
  const std::vector<std::pair<std::string, std::string>> expected{
      {"2027-01-01", "Jour de l'An"},
      {"2027-03-26", "Vendredi saint"},
      {"2027-03-29", "Lundi de Pâques"},
      {"2027-05-24", "Journée nationale des patriotes"},
      {"2027-06-24", "Fête nationale du Québec"},
      {"2027-07-01", "Fête du Canada"},
      {"2027-09-06", "Fête du Travail"},
      {"2027-10-11", "Action de grâce"},
      {"2027-12-25", "Noël"},
      {"2027-12-26", "Lendemain de Noël"},
  };
  CHECK(got == expected);
}

TEST_CASE("24 June and 1 July on a Sunday are observed on the Monday", "[holidays]") {
  REQUIRE(date::weekday{day(2029, 6, 24)} == date::Sunday);
  REQUIRE(date::weekday{day(2029, 7, 1)} == date::Sunday);
  const auto holidays = quebecHolidays(2029);
  CHECK(dateOf(holidays, "Fête nationale du Québec") == day(2029, 6, 25));
  CHECK(dateOf(holidays, "Fête du Canada") == day(2029, 7, 2));
}

TEST_CASE("no other weekend shift", "[holidays]") {
  // 2028: 1 January and 24 June are Saturdays; 2027: 25 December is a
  // Saturday and 26 December a Sunday.
  REQUIRE(date::weekday{day(2028, 1, 1)} == date::Saturday);
  REQUIRE(date::weekday{day(2028, 6, 24)} == date::Saturday);
  REQUIRE(date::weekday{day(2027, 12, 26)} == date::Sunday);
  const auto y2028 = quebecHolidays(2028);
  CHECK(dateOf(y2028, "Jour de l'An") == day(2028, 1, 1));
  CHECK(dateOf(y2028, "Fête nationale du Québec") == day(2028, 6, 24));
  const auto y2027 = quebecHolidays(2027);
  CHECK(dateOf(y2027, "Noël") == day(2027, 12, 25));
  CHECK(dateOf(y2027, "Lendemain de Noël") == day(2027, 12, 26));
}

TEST_CASE("Patriots' Day is the last Monday strictly before 25 May", "[holidays]") {
  SECTION("25 May is a Monday: the Monday before") {
    REQUIRE(date::weekday{day(2026, 5, 25)} == date::Monday);
    CHECK(dateOf(quebecHolidays(2026), "Journée nationale des patriotes") == day(2026, 5, 18));
  }
  SECTION("24 May is a Monday: that day") {
    REQUIRE(date::weekday{day(2027, 5, 24)} == date::Monday);
    CHECK(dateOf(quebecHolidays(2027), "Journée nationale des patriotes") == day(2027, 5, 24));
  }
  SECTION("always a Monday between 18 and 24 May") {
    for (int year = 2000; year <= 2100; ++year) {
      const auto patriots = dateOf(quebecHolidays(year), "Journée nationale des patriotes");
      REQUIRE(patriots);
      CHECK(date::weekday{*patriots} == date::Monday);
      CHECK(*patriots >= day(year, 5, 18));
      CHECK(*patriots <= day(year, 5, 24));
    }
  }
}

TEST_CASE("holidays are ten, sorted, over the whole valid range", "[holidays]") {
  for (const int year : {1583, 1900, 2000, 2027, 2285, 9999}) {
    const auto holidays = quebecHolidays(year);
    REQUIRE(holidays.size() == 10);
    for (std::size_t i = 1; i < holidays.size(); ++i) CHECK(holidays[i - 1].date < holidays[i].date);
  }
}

TEST_CASE("years outside 1583..9999 are rejected", "[holidays]") {
  const std::pair<ErrorCode, std::string> badYear{ErrorCode::bad_request, "year"};
  CHECK(errorOf([] { quebecHolidays(0); }) == badYear);
  CHECK(errorOf([] { quebecHolidays(1582); }) == badYear);
  CHECK(errorOf([] { quebecHolidays(10000); }) == badYear);
  CHECK(errorOf([] { easterSunday(10000); }) == badYear);
  CHECK(errorOf([] { easterSunday(-1); }) == badYear);
  CHECK_FALSE(errorOf([] { quebecHolidays(1583); }));
  CHECK_FALSE(errorOf([] { quebecHolidays(9999); }));
}
