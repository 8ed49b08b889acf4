#include "scheduler/placement.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using namespace parcours;
using core::LocalDate;
using core::LocalTime;
using scheduler::Interval;
using scheduler::Placement;
using scheduler::PlanRequest;
using Strings = std::vector<std::string>;

namespace {

const date::time_zone& toronto() {
  return core::findZone("America/Toronto");
}

LocalDate day(int y, unsigned m, unsigned d) {
  return LocalDate{date::year{y} / date::month{m} / date::day{d}};
}
LocalTime at(int hour, int minute = 0) {
  return LocalTime{hour * 60 + minute};
}

struct DatedWindow {
  LocalDate day;
  LocalTime start;
  LocalTime end;
};

// A practitioner's calendar in America/Toronto, written for these tests and
// independent of availability.cpp: weekly windows plus one-off windows, minus
// closed days and blocked local periods; 60-minute slots on a 15-minute grid,
// never starting inside a spring-forward gap.
struct TestCalendar {
  std::vector<scheduler::WeeklyWindow> weekly = {};
  std::vector<DatedWindow> extra = {};
  std::vector<DatedWindow> blocked = {};
  std::vector<LocalDate> closedDays = {};
  mutable std::vector<std::pair<LocalDate, LocalDate>> calls = {};

  std::vector<Interval> freeSlots(LocalDate from, LocalDate to) const {
    calls.emplace_back(from, to);
    const std::chrono::minutes length{60};
    std::vector<Interval> slots;
    for (LocalDate d = from; d <= to; d += date::days{1}) {
      if (std::find(closedDays.begin(), closedDays.end(), d) != closedDays.end()) continue;
      std::vector<DatedWindow> windows;
      for (const auto& w : weekly)
        if (w.weekday == date::weekday{d}) windows.push_back({d, w.start, w.end});
      for (const auto& w : extra)
        if (w.day == d) windows.push_back(w);
      for (const auto& w : windows) {
        for (int t = w.start.minutes; t + length.count() <= w.end.minutes; t += 15) {
          const auto start = core::toInstant(d, LocalTime{t}, toronto());
          if (!start) continue;
          const Interval slot{*start, *start + length};
          if (!isBlocked(slot)) slots.push_back(slot);
        }
      }
    }
    std::sort(slots.begin(), slots.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
    slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    return slots;
  }

  bool isBlocked(const Interval& slot) const {
    return std::any_of(blocked.begin(), blocked.end(), [&](const DatedWindow& b) {
      const auto from = core::requireInstant(b.day, b.start, toronto());
      const auto to = core::requireInstant(b.day, b.end, toronto());
      return slot.start < to && from < slot.end;
    });
  }

  scheduler::FreeSlotSource source() const {
    return [this](LocalDate from, LocalDate to) { return freeSlots(from, to); };
  }
};

PlanRequest plan(LocalDate startOn, int weeks) {
  PlanRequest request;
  request.startOn = startOn;
  request.weeks = weeks;
  request.zone = &toronto();
  return request;
}

Strings localStarts(const Placement& placement) {
  Strings out;
  for (const auto& s : placement.sessions) out.push_back(core::formatInstant(s.slot.start, toronto()));
  return out;
}

Strings utcStarts(const Placement& placement) {
  Strings out;
  for (const auto& s : placement.sessions) out.push_back(core::formatInstantUtc(s.slot.start));
  return out;
}

std::vector<int> weeksOf(const Placement& placement) {
  std::vector<int> out;
  for (const auto& s : placement.sessions) out.push_back(s.week);
  return out;
}

void requireRegular(const Placement& placement, date::weekday weekday, LocalTime time) {
  REQUIRE(placement.regularSlot);
  CHECK(placement.regularSlot->first == weekday);
  CHECK(placement.regularSlot->second == time);
}

core::Error validationError(const PlanRequest& request) {
  try {
    scheduler::validatePlanRequest(request);
  } catch (const core::Error& e) {
    return e;
  }
  FAIL("validatePlanRequest accepted the request");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("an 8-week plan across the spring change keeps Tuesday 10:00 local", "[placement]") {
  TestCalendar calendar{.weekly = {{date::Tuesday, at(10), at(12)}}};
  const auto placement = scheduler::placePlan(plan(day(2027, 3, 1), 8), calendar.source());

  REQUIRE_FALSE(placement.failingWeek);
  requireRegular(placement, date::Tuesday, at(10));
  CHECK(weeksOf(placement) == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(localStarts(placement) == Strings{"2027-03-02T10:00:00-05:00", "2027-03-09T10:00:00-05:00",
                                          "2027-03-16T10:00:00-04:00", "2027-03-23T10:00:00-04:00",
                                          "2027-03-30T10:00:00-04:00", "2027-04-06T10:00:00-04:00",
                                          "2027-04-13T10:00:00-04:00", "2027-04-20T10:00:00-04:00"});
  CHECK(utcStarts(placement) == Strings{"2027-03-02T15:00:00Z", "2027-03-09T15:00:00Z", "2027-03-16T14:00:00Z",
                                        "2027-03-23T14:00:00Z", "2027-03-30T14:00:00Z", "2027-04-06T14:00:00Z",
                                        "2027-04-13T14:00:00Z", "2027-04-20T14:00:00Z"});
  for (const auto& s : placement.sessions) CHECK(s.slot.end - s.slot.start == std::chrono::minutes{60});
}

TEST_CASE("an 8-week plan across the fall change keeps Tuesday 10:00 local", "[placement]") {
  TestCalendar calendar{.weekly = {{date::Tuesday, at(10), at(12)}}};
  const auto placement = scheduler::placePlan(plan(day(2027, 10, 25), 8), calendar.source());

  REQUIRE_FALSE(placement.failingWeek);
  requireRegular(placement, date::Tuesday, at(10));
  CHECK(localStarts(placement) == Strings{"2027-10-26T10:00:00-04:00", "2027-11-02T10:00:00-04:00",
                                          "2027-11-09T10:00:00-05:00", "2027-11-16T10:00:00-05:00",
                                          "2027-11-23T10:00:00-05:00", "2027-11-30T10:00:00-05:00",
                                          "2027-12-07T10:00:00-05:00", "2027-12-14T10:00:00-05:00"});
  CHECK(utcStarts(placement) == Strings{"2027-10-26T14:00:00Z", "2027-11-02T14:00:00Z", "2027-11-09T15:00:00Z",
                                        "2027-11-16T15:00:00Z", "2027-11-23T15:00:00Z", "2027-11-30T15:00:00Z",
                                        "2027-12-07T15:00:00Z", "2027-12-14T15:00:00Z"});
}

TEST_CASE("a regular Monday on Easter Monday moves to the closest free start of that week", "[placement]") {
  // Monday 10:00 and Tuesday 13:00 are each free in 7 of 8 weeks: Monday wins the tie.
  TestCalendar calendar{.weekly = {{date::Monday, at(10), at(12)}, {date::Tuesday, at(13), at(15)}},
                        .blocked = {{day(2027, 3, 2), at(13), at(16)}},
                        .closedDays = {day(2027, 3, 26), day(2027, 3, 29)}};  // Good Friday, Easter Monday
  const auto placement = scheduler::placePlan(plan(day(2027, 3, 1), 8), calendar.source());

  REQUIRE_FALSE(placement.failingWeek);
  requireRegular(placement, date::Monday, at(10));
  // Week 5 (03-29..04-04): Tuesday 13:00 is 27 h after Easter Monday 10:00.
  CHECK(localStarts(placement) == Strings{"2027-03-01T10:00:00-05:00", "2027-03-08T10:00:00-05:00",
                                          "2027-03-15T10:00:00-04:00", "2027-03-22T10:00:00-04:00",
                                          "2027-03-30T13:00:00-04:00", "2027-04-05T10:00:00-04:00",
                                          "2027-04-12T10:00:00-04:00", "2027-04-19T10:00:00-04:00"});
  CHECK(placement.sessions[4].week == 5);
}

TEST_CASE("a regular Monday on Patriots' Day moves to the closest start, before or after", "[placement]") {
  // Starts on a Wednesday: week 1 (05-19..05-25) has Friday before Patriots' Day and Tuesday after it.
  TestCalendar calendar{
      .weekly = {{date::Monday, at(10), at(12)}, {date::Tuesday, at(9), at(10)}, {date::Friday, at(14), at(16)}},
      .blocked = {{day(2027, 6, 1), at(9), at(10)}, {day(2027, 6, 4), at(14), at(16)}},
      .closedDays = {day(2027, 5, 24)}};
  const auto placement = scheduler::placePlan(plan(day(2027, 5, 19), 3), calendar.source());

  REQUIRE_FALSE(placement.failingWeek);
  requireRegular(placement, date::Monday, at(10));
  // Tuesday 09:00 is 23 h after Monday 10:00; Friday 15:00 is 67 h before.
  CHECK(localStarts(placement) ==
        Strings{"2027-05-25T09:00:00-04:00", "2027-05-31T10:00:00-04:00", "2027-06-07T10:00:00-04:00"});
}

TEST_CASE("the regular slot is the one free in the most weeks", "[placement]") {
  // Monday 10:00 is free in 4 of 6 weeks, Tuesday 10:00 in 5: Tuesday wins though Monday comes first.
  TestCalendar calendar{
      .weekly = {{date::Monday, at(10), at(11)}, {date::Tuesday, at(10), at(11)}},
      .blocked = {
          {day(2027, 3, 8), at(10), at(11)}, {day(2027, 3, 22), at(10), at(11)}, {day(2027, 3, 16), at(10), at(11)}}};
  const auto placement = scheduler::placePlan(plan(day(2027, 3, 1), 6), calendar.source());

  REQUIRE_FALSE(placement.failingWeek);
  requireRegular(placement, date::Tuesday, at(10));
  CHECK(localStarts(placement) == Strings{"2027-03-02T10:00:00-05:00", "2027-03-09T10:00:00-05:00",
                                          "2027-03-15T10:00:00-04:00", "2027-03-23T10:00:00-04:00",
                                          "2027-03-30T10:00:00-04:00", "2027-04-06T10:00:00-04:00"});
}

TEST_CASE("ties go to Monday first even when the plan starts on a Wednesday", "[placement]") {
  TestCalendar calendar{.weekly = {{date::Monday, at(10), at(11)}, {date::Wednesday, at(9), at(10)}}};
  const auto placement = scheduler::placePlan(plan(day(2027, 3, 3), 3), calendar.source());

  REQUIRE_FALSE(placement.failingWeek);
  requireRegular(placement, date::Monday, at(10));
  CHECK(localStarts(placement) ==
        Strings{"2027-03-08T10:00:00-05:00", "2027-03-15T10:00:00-04:00", "2027-03-22T10:00:00-04:00"});
}

TEST_CASE("ties on the same weekday go to the earlier time, and the weekday comes before the time", "[placement]") {
  TestCalendar calendar{
      .weekly = {{date::Monday, at(14), at(15)}, {date::Monday, at(10), at(11)}, {date::Tuesday, at(8), at(9)}}};
  const auto placement = scheduler::placePlan(plan(day(2027, 3, 1), 2), calendar.source());

  requireRegular(placement, date::Monday, at(10));
  CHECK(localStarts(placement) == Strings{"2027-03-01T10:00:00-05:00", "2027-03-08T10:00:00-05:00"});
}

TEST_CASE("between two equally close starts the earlier one is taken", "[placement]") {
  // Week 3's Monday 10:00 is taken; that day 09:00 and 11:00 are both 60 min away.
  TestCalendar calendar{.weekly = {{date::Monday, at(10), at(11)}},
                        .extra = {{day(2027, 3, 15), at(8), at(13)}},
                        .blocked = {{day(2027, 3, 15), at(10), at(11)}}};
  const auto placement = scheduler::placePlan(plan(day(2027, 3, 1), 3), calendar.source());

  requireRegular(placement, date::Monday, at(10));
  CHECK(localStarts(placement) ==
        Strings{"2027-03-01T10:00:00-05:00", "2027-03-08T10:00:00-05:00", "2027-03-15T09:00:00-04:00"});
}

TEST_CASE("a regular slot in the spring-forward gap is aimed at right after the gap", "[placement]") {
  // Sunday 02:30 is the regular slot; on 2027-03-14 it does not exist, so the
  // target is 03:30 EDT (the same wall time shifted by the hour), not 03:00.
  TestCalendar calendar{.weekly = {{date::Sunday, at(2), at(5)}},
                        .blocked = {{day(2027, 3, 7), at(3, 30), at(5)}, {day(2027, 3, 21), at(3, 30), at(5)}}};
  auto request = plan(day(2027, 3, 1), 3);
  request.preferences.earliest = at(2, 30);
  const auto placement = scheduler::placePlan(request, calendar.source());

  requireRegular(placement, date::Sunday, at(2, 30));
  CHECK(localStarts(placement) ==
        Strings{"2027-03-07T02:30:00-05:00", "2027-03-14T03:30:00-04:00", "2027-03-21T02:30:00-04:00"});
}

TEST_CASE("a local time repeated at the fall-back change counts once in its week", "[placement]") {
  // Saturday 10:00 is free in both weeks; Sunday 01:30 twice on 2027-11-07 (EDT then EST) and once on
  // 2027-11-14: two weeks each, so Saturday wins the tie.
  const auto slot = [](const char* utc) {
    const auto start = core::parseInstant(utc);
    return Interval{start, start + std::chrono::minutes{60}};
  };
  const auto freeSlots = [&](LocalDate, LocalDate) {
    return std::vector<Interval>{slot("2027-11-06T14:00:00Z"), slot("2027-11-07T05:30:00Z"),
                                 slot("2027-11-07T06:30:00Z"), slot("2027-11-13T15:00:00Z"),
                                 slot("2027-11-14T06:30:00Z")};
  };
  const auto placement = scheduler::placePlan(plan(day(2027, 11, 1), 2), freeSlots);

  requireRegular(placement, date::Saturday, at(10));
  CHECK(localStarts(placement) == Strings{"2027-11-06T10:00:00-04:00", "2027-11-13T10:00:00-05:00"});
}

TEST_CASE("preferences: weekdays, earliest and latest start are respected", "[placement]") {
  TestCalendar calendar{.weekly = {{date::Monday, at(8), at(18)},
                                   {date::Tuesday, at(8), at(18)},
                                   {date::Wednesday, at(8), at(18)},
                                   {date::Thursday, at(8), at(18)}}};
  auto request = plan(day(2027, 3, 1), 2);
  request.preferences = {.weekdays = {date::Thursday, date::Wednesday}, .earliest = at(14), .latest = at(16)};

  SECTION("the earliest acceptable start of the first acceptable weekday") {
    const auto placement = scheduler::placePlan(request, calendar.source());
    requireRegular(placement, date::Wednesday, at(14));
    CHECK(localStarts(placement) == Strings{"2027-03-03T14:00:00-05:00", "2027-03-10T14:00:00-05:00"});
  }
  SECTION("a moved week skips closer starts outside the preferences") {
    // Thursday of week 1 is closed, so Wednesday 14:00 and Thursday 14:00 tie (one week each).
    // Week 2's Wednesday is taken 12:00-16:30: 11:00 and 16:30 are closer but outside earliest/latest,
    // Tuesday 17:00 is closer (21 h) but not a preferred weekday; Thursday 14:00 (24 h) is the closest
    // acceptable start.
    calendar.closedDays = {day(2027, 3, 4)};
    calendar.blocked = {{day(2027, 3, 10), at(12), at(16, 30)}};
    const auto placement = scheduler::placePlan(request, calendar.source());
    requireRegular(placement, date::Wednesday, at(14));
    CHECK(localStarts(placement) == Strings{"2027-03-03T14:00:00-05:00", "2027-03-11T14:00:00-05:00"});
  }
  SECTION("latest is the latest start, inclusive") {
    calendar.weekly = {{date::Wednesday, at(16), at(18)}};
    const auto placement = scheduler::placePlan(request, calendar.source());
    requireRegular(placement, date::Wednesday, at(16));
    CHECK(localStarts(placement) == Strings{"2027-03-03T16:00:00-05:00", "2027-03-10T16:00:00-05:00"});
  }
  SECTION("earliest is inclusive, a minute later excludes the start") {
    calendar.weekly = {{date::Thursday, at(14), at(15)}};
    CHECK(localStarts(scheduler::placePlan(request, calendar.source())) ==
          Strings{"2027-03-04T14:00:00-05:00", "2027-03-11T14:00:00-05:00"});
    request.preferences.earliest = at(14, 1);
    const auto placement = scheduler::placePlan(request, calendar.source());
    REQUIRE(placement.failingWeek);
    CHECK(placement.failingWeek->index == 1);
  }
}

TEST_CASE("a week without an acceptable slot fails the plan and is named", "[placement]") {
  TestCalendar calendar{.weekly = {{date::Monday, at(10), at(11)}}, .closedDays = {day(2027, 3, 8)}};
  const auto placement = scheduler::placePlan(plan(day(2027, 3, 1), 3), calendar.source());

  CHECK(placement.sessions.empty());
  REQUIRE(placement.failingWeek);
  CHECK(placement.failingWeek->index == 2);
  CHECK(placement.failingWeek->from == day(2027, 3, 8));
  CHECK(placement.failingWeek->to == day(2027, 3, 14));
  requireRegular(placement, date::Monday, at(10));
  REQUIRE(calendar.calls.size() == 1);
  CHECK(calendar.calls[0] == std::pair{day(2027, 3, 1), day(2027, 3, 21)});
}

TEST_CASE("allowExtension skips an empty week and appends one, at most twice", "[placement]") {
  TestCalendar calendar{.weekly = {{date::Monday, at(10), at(11)}}};
  auto request = plan(day(2027, 3, 1), 3);
  request.allowExtension = true;

  SECTION("one empty week") {
    calendar.closedDays = {day(2027, 3, 8)};
    const auto placement = scheduler::placePlan(request, calendar.source());
    REQUIRE_FALSE(placement.failingWeek);
    CHECK(weeksOf(placement) == std::vector<int>{1, 3, 4});
    CHECK(localStarts(placement) ==
          Strings{"2027-03-01T10:00:00-05:00", "2027-03-15T10:00:00-04:00", "2027-03-22T10:00:00-04:00"});
    REQUIRE(calendar.calls.size() == 1);
    CHECK(calendar.calls[0] == std::pair{day(2027, 3, 1), day(2027, 4, 4)});
  }
  SECTION("two empty weeks in a row") {
    calendar.closedDays = {day(2027, 3, 8), day(2027, 3, 15)};
    const auto placement = scheduler::placePlan(request, calendar.source());
    REQUIRE_FALSE(placement.failingWeek);
    CHECK(weeksOf(placement) == std::vector<int>{1, 4, 5});
  }
  SECTION("an appended week that is empty is skipped too") {
    calendar.closedDays = {day(2027, 3, 8), day(2027, 3, 22)};
    const auto placement = scheduler::placePlan(request, calendar.source());
    REQUIRE_FALSE(placement.failingWeek);
    CHECK(weeksOf(placement) == std::vector<int>{1, 3, 5});
    CHECK(localStarts(placement).back() == "2027-03-29T10:00:00-04:00");
  }
  SECTION("a third empty week fails the plan") {
    calendar.closedDays = {day(2027, 3, 8), day(2027, 3, 15), day(2027, 3, 22)};
    const auto placement = scheduler::placePlan(request, calendar.source());
    CHECK(placement.sessions.empty());
    REQUIRE(placement.failingWeek);
    CHECK(placement.failingWeek->index == 4);
    CHECK(placement.failingWeek->from == day(2027, 3, 22));
    CHECK(placement.failingWeek->to == day(2027, 3, 28));
  }
}

TEST_CASE("no acceptable slot in any week fails on week 1, extension or not", "[placement]") {
  TestCalendar calendar{.weekly = {{date::Monday, at(10), at(11)}}};
  auto request = plan(day(2027, 3, 3), 4);
  request.preferences.latest = at(9, 59);
  request.allowExtension = GENERATE(false, true);
  const auto placement = scheduler::placePlan(request, calendar.source());

  CHECK(placement.sessions.empty());
  CHECK_FALSE(placement.regularSlot);
  REQUIRE(placement.failingWeek);
  CHECK(placement.failingWeek->index == 1);
  CHECK(placement.failingWeek->from == day(2027, 3, 3));
  CHECK(placement.failingWeek->to == day(2027, 3, 9));
}

TEST_CASE("plan requests are validated", "[placement]") {
  SECTION("1 to 8 weeks") {
    for (const int weeks : {0, 9, -1}) {
      const auto error = validationError(plan(day(2027, 3, 1), weeks));
      CHECK(error.code() == core::ErrorCode::unprocessable);
      REQUIRE(error.fieldErrors().size() == 1);
      CHECK(error.fieldErrors()[0].field == "weeks");
    }
    CHECK_NOTHROW(scheduler::validatePlanRequest(plan(day(2027, 3, 1), 1)));
    CHECK_NOTHROW(scheduler::validatePlanRequest(plan(day(2027, 3, 1), 8)));
  }
  SECTION("placePlan validates before asking for free slots") {
    TestCalendar calendar{.weekly = {{date::Monday, at(10), at(11)}}};
    CHECK_THROWS_AS(scheduler::placePlan(plan(day(2027, 3, 1), 9), calendar.source()), core::Error);
    CHECK(calendar.calls.empty());
  }
  SECTION("earliest after latest") {
    auto request = plan(day(2027, 3, 1), 2);
    request.preferences.earliest = at(15);
    request.preferences.latest = at(14, 59);
    const auto error = validationError(request);
    CHECK(error.code() == core::ErrorCode::unprocessable);
    REQUIRE(error.fieldErrors().size() == 1);
    CHECK(error.fieldErrors()[0].field == "preferences");
    request.preferences.latest = at(15);
    CHECK_NOTHROW(scheduler::validatePlanRequest(request));
  }
  SECTION("times and weekdays out of range") {
    auto request = plan(day(2027, 3, 1), 2);
    request.preferences.latest = LocalTime{24 * 60};
    CHECK(validationError(request).fieldErrors()[0].field == "preferences");
    request.preferences.latest.reset();
    request.preferences.weekdays = {date::weekday{9}};
    CHECK(validationError(request).fieldErrors()[0].field == "preferences");
  }
  SECTION("session length") {
    auto request = plan(day(2027, 3, 1), 2);
    request.length = std::chrono::minutes{20};
    CHECK(validationError(request).fieldErrors()[0].field == "session_minutes");
    request.length = std::chrono::minutes{120};
    CHECK_NOTHROW(scheduler::validatePlanRequest(request));
  }
  SECTION("every bad field is listed") {
    auto request = plan(day(2027, 3, 1), 0);
    request.preferences.earliest = at(12);
    request.preferences.latest = at(11);
    const auto error = validationError(request);
    REQUIRE(error.fieldErrors().size() == 2);
    CHECK(error.fieldErrors()[0].field == "weeks");
    CHECK(error.fieldErrors()[1].field == "preferences");
  }
  SECTION("a missing zone is a bug") {
    auto request = plan(day(2027, 3, 1), 2);
    request.zone = nullptr;
    CHECK(validationError(request).code() == core::ErrorCode::internal);
  }
}

TEST_CASE("placementConflict names the failing week", "[placement]") {
  const auto error = scheduler::placementConflict({3, day(2027, 3, 15), day(2027, 3, 21)});
  CHECK(error.code() == core::ErrorCode::conflict);
  CHECK(core::httpStatus(error.code()) == 409);
  CHECK(std::string(error.what()) == "no acceptable slot in week 3 (from 2027-03-15 to 2027-03-21)");
  REQUIRE(error.members().count("failing_week") == 1);
  CHECK(error.members().at("failing_week") == R"({"index":3,"from":"2027-03-15","to":"2027-03-21"})");
}
