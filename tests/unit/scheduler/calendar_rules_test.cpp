#include "scheduler/calendar_rules.h"

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours;
using core::LocalTime;
using scheduler::WeeklyWindow;

namespace {

core::LocalDate day(const char* text) {
  return core::parseDate(text);
}

template <class F>
std::string fieldOf(F&& call) {
  try {
    call();
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::unprocessable);
    return e.fieldErrors().empty() ? "" : e.fieldErrors().front().field;
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("weekly windows end after they start and do not overlap on one weekday", "[calendar_rules]") {
  const date::weekday mon{1}, tue{2};
  CHECK_NOTHROW(scheduler::validateWeeklyWindows({}));
  CHECK_NOTHROW(scheduler::validateWeeklyWindows({{mon, LocalTime{9 * 60}, LocalTime{12 * 60}},
                                                  {mon, LocalTime{12 * 60}, LocalTime{17 * 60}},
                                                  {tue, LocalTime{9 * 60}, LocalTime{17 * 60}}}));
  CHECK(fieldOf([&] {
          scheduler::validateWeeklyWindows({{mon, LocalTime{9 * 60}, LocalTime{9 * 60}}});
        }) == "weekly[0].end");
  CHECK(fieldOf([&] {
          scheduler::validateWeeklyWindows({{tue, LocalTime{9 * 60}, LocalTime{10 * 60}},
                                            {mon, LocalTime{9 * 60}, LocalTime{12 * 60}},
                                            {mon, LocalTime{11 * 60}, LocalTime{13 * 60}}});
        }) == "weekly[2]");
}

TEST_CASE("time off is a range of at most a year with a short reason", "[calendar_rules]") {
  CHECK_NOTHROW(scheduler::validateTimeOff({day("2027-01-01"), day("2027-01-01")}, std::nullopt));
  CHECK_NOTHROW(scheduler::validateTimeOff({day("2027-01-01"), day("2028-01-02")}, std::string(500, 'x')));
  CHECK(fieldOf([] {
          scheduler::validateTimeOff({day("2027-01-02"), day("2027-01-01")}, std::nullopt);
        }) == "end_date");
  CHECK(fieldOf([] {
          scheduler::validateTimeOff({day("2027-01-01"), day("2028-01-03")}, std::nullopt);
        }) == "end_date");
  CHECK(fieldOf([] {
          scheduler::validateTimeOff({day("2027-01-01"), day("2027-01-02")}, std::string(501, 'x'));
        }) == "reason");
}

TEST_CASE("closure names and slot ranges", "[calendar_rules]") {
  CHECK_NOTHROW(scheduler::validateClosureName("Fermeture"));
  CHECK(fieldOf([] { scheduler::validateClosureName(""); }) == "name");
  CHECK(fieldOf([] { scheduler::validateClosureName(std::string(201, 'x')); }) == "name");
  CHECK_NOTHROW(scheduler::validateSlotRange(day("2027-01-01"), day("2027-04-03")));
  CHECK(fieldOf([] { scheduler::validateSlotRange(day("2027-01-01"), day("2027-04-04")); }) == "to");
  CHECK(fieldOf([] { scheduler::validateSlotRange(day("2027-01-02"), day("2027-01-01")); }) == "to");
}
