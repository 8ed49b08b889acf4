#include "scheduler/availability.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours;
using core::Instant;
using core::LocalDate;
using core::LocalTime;
using scheduler::CalendarInput;
using scheduler::findFreeSlots;
using scheduler::Interval;
using scheduler::isBookable;
using scheduler::isFree;
using std::chrono::minutes;
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
Instant utc(const char* text) {
  return core::parseInstant(text);
}

CalendarInput calendar(date::weekday weekday, LocalTime start, LocalTime end) {
  CalendarInput input;
  input.zone = &toronto();
  input.weekly.push_back({weekday, start, end});
  return input;
}

Strings utcStarts(const std::vector<Interval>& slots) {
  Strings out;
  for (const auto& slot : slots) out.push_back(core::formatInstantUtc(slot.start));
  return out;
}
Strings localStarts(const std::vector<Interval>& slots) {
  Strings out;
  for (const auto& slot : slots) out.push_back(core::formatInstant(slot.start, toronto()));
  return out;
}
bool allLast(const std::vector<Interval>& slots, minutes length) {
  return std::all_of(slots.begin(), slots.end(), [&](const Interval& s) { return s.end - s.start == length; });
}

// The local session [start, end) on `d`, as UTC instants.
Interval session(LocalDate d, LocalTime start, LocalTime end) {
  return {core::requireInstant(d, start, toronto()), core::requireInstant(d, end, toronto())};
}

const minutes kHour{60};

}  // namespace

TEST_CASE("a Tuesday window keeps its local times on both sides of the spring change", "[availability]") {
  const auto input = calendar(date::Tuesday, at(9), at(12));
  SECTION("2027-03-16, EDT") {
    const auto slots = findFreeSlots(input, day(2027, 3, 16), day(2027, 3, 16), kHour);
    CHECK(utcStarts(slots) == Strings{"2027-03-16T13:00:00Z", "2027-03-16T13:15:00Z", "2027-03-16T13:30:00Z",
                                      "2027-03-16T13:45:00Z", "2027-03-16T14:00:00Z", "2027-03-16T14:15:00Z",
                                      "2027-03-16T14:30:00Z", "2027-03-16T14:45:00Z", "2027-03-16T15:00:00Z"});
    CHECK(allLast(slots, kHour));
  }
  SECTION("2027-03-09, EST") {
    const auto slots = findFreeSlots(input, day(2027, 3, 9), day(2027, 3, 9), kHour);
    CHECK(utcStarts(slots) == Strings{"2027-03-09T14:00:00Z", "2027-03-09T14:15:00Z", "2027-03-09T14:30:00Z",
                                      "2027-03-09T14:45:00Z", "2027-03-09T15:00:00Z", "2027-03-09T15:15:00Z",
                                      "2027-03-09T15:30:00Z", "2027-03-09T15:45:00Z", "2027-03-09T16:00:00Z"});
    CHECK(allLast(slots, kHour));
  }
  SECTION("a range covers only the window's weekday, in order") {
    const auto slots = findFreeSlots(input, day(2027, 3, 8), day(2027, 3, 17), kHour);
    REQUIRE(slots.size() == 18);
    CHECK(core::formatInstantUtc(slots.front().start) == "2027-03-09T14:00:00Z");
    CHECK(core::formatInstantUtc(slots[9].start) == "2027-03-16T13:00:00Z");
    CHECK(std::is_sorted(slots.begin(), slots.end(),
                         [](const Interval& a, const Interval& b) { return a.start < b.start; }));
  }
  SECTION("from after to gives nothing") {
    CHECK(findFreeSlots(input, day(2027, 3, 16), day(2027, 3, 9), kHour).empty());
  }
}

TEST_CASE("the spring-forward gap is never offered", "[availability]") {
  SECTION("a 01:00-04:00 window on 2027-03-14") {
    const auto input = calendar(date::Sunday, at(1), at(4));
    const auto slots = findFreeSlots(input, day(2027, 3, 14), day(2027, 3, 14), kHour);
    // 01:00 EST is 06:00Z; 03:00 EDT is 07:00Z; the window ends at 04:00 EDT = 08:00Z.
    CHECK(localStarts(slots) == Strings{"2027-03-14T01:00:00-05:00", "2027-03-14T01:15:00-05:00",
                                        "2027-03-14T01:30:00-05:00", "2027-03-14T01:45:00-05:00",
                                        "2027-03-14T03:00:00-04:00"});
    CHECK(utcStarts(slots) == Strings{"2027-03-14T06:00:00Z", "2027-03-14T06:15:00Z", "2027-03-14T06:30:00Z",
                                      "2027-03-14T06:45:00Z", "2027-03-14T07:00:00Z"});
    CHECK(allLast(slots, kHour));
  }
  SECTION("a window starting inside the gap starts when the gap ends") {
    const auto input = calendar(date::Sunday, at(2, 30), at(5));
    const auto slots = findFreeSlots(input, day(2027, 3, 14), day(2027, 3, 14), kHour);
    CHECK(localStarts(slots) == Strings{"2027-03-14T03:00:00-04:00", "2027-03-14T03:15:00-04:00",
                                        "2027-03-14T03:30:00-04:00", "2027-03-14T03:45:00-04:00",
                                        "2027-03-14T04:00:00-04:00"});
  }
  SECTION("a window ending inside the gap ends when the gap starts") {
    const auto input = calendar(date::Sunday, at(0), at(2, 30));
    const auto slots = findFreeSlots(input, day(2027, 3, 14), day(2027, 3, 14), kHour);
    CHECK(localStarts(slots) == Strings{"2027-03-14T00:00:00-05:00", "2027-03-14T00:15:00-05:00",
                                        "2027-03-14T00:30:00-05:00", "2027-03-14T00:45:00-05:00",
                                        "2027-03-14T01:00:00-05:00"});
  }
}

TEST_CASE("the repeated fall-back hour is offered once, at its earlier instant", "[availability]") {
  const auto input = calendar(date::Sunday, at(0), at(3));
  const auto slots = findFreeSlots(input, day(2027, 11, 7), day(2027, 11, 7), kHour);
  // 00:00 EDT = 04:00Z … 01:45 EDT = 05:45Z, then 02:00 EST = 07:00Z (ends 08:00Z = 03:00 EST).
  CHECK(utcStarts(slots) == Strings{"2027-11-07T04:00:00Z", "2027-11-07T04:15:00Z", "2027-11-07T04:30:00Z",
                                    "2027-11-07T04:45:00Z", "2027-11-07T05:00:00Z", "2027-11-07T05:15:00Z",
                                    "2027-11-07T05:30:00Z", "2027-11-07T05:45:00Z", "2027-11-07T07:00:00Z"});
  CHECK(std::count_if(slots.begin(), slots.end(), [](const Interval& s) {
          return core::formatInstant(s.start, toronto()).substr(11, 5) == "01:00";
        }) == 1);
  CHECK(allLast(slots, kHour));
}

TEST_CASE("busy sessions and their buffers remove starts", "[availability]") {
  const LocalDate tuesday = day(2027, 3, 16);
  SECTION("no buffer: touching a session is fine") {
    auto input = calendar(date::Tuesday, at(9), at(12));
    input.busy = {session(tuesday, at(10), at(11))};
    CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
          Strings{"2027-03-16T09:00:00-04:00", "2027-03-16T11:00:00-04:00"});
  }
  SECTION("buffer 15 in a 09:00-12:00 window leaves nothing") {
    // 09:00-10:00 plus 15 min reaches 10:15; 11:00 minus 15 min is 10:45.
    auto input = calendar(date::Tuesday, at(9), at(12));
    input.busy = {session(tuesday, at(10), at(11))};
    input.buffer = minutes{15};
    CHECK(findFreeSlots(input, tuesday, tuesday, kHour).empty());
  }
  SECTION("buffer 15 in a 08:00-13:00 window") {
    auto input = calendar(date::Tuesday, at(8), at(13));
    input.busy = {session(tuesday, at(10), at(11))};
    input.buffer = minutes{15};
    CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
          Strings{"2027-03-16T08:00:00-04:00", "2027-03-16T08:15:00-04:00", "2027-03-16T08:30:00-04:00",
                  "2027-03-16T08:45:00-04:00", "2027-03-16T11:15:00-04:00", "2027-03-16T11:30:00-04:00",
                  "2027-03-16T11:45:00-04:00", "2027-03-16T12:00:00-04:00"});
  }
  SECTION("a long seat that contains a shorter session still blocks after it") {
    auto input = calendar(date::Tuesday, at(8), at(18));
    input.busy = {session(tuesday, at(9), at(16)), session(tuesday, at(10), at(11))};
    CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
          Strings{"2027-03-16T08:00:00-04:00", "2027-03-16T16:00:00-04:00", "2027-03-16T16:15:00-04:00",
                  "2027-03-16T16:30:00-04:00", "2027-03-16T16:45:00-04:00", "2027-03-16T17:00:00-04:00"});
  }
  SECTION("a session the evening before, with a buffer, reaches over midnight") {
    auto input = calendar(date::Tuesday, at(0), at(2));
    input.busy = {session(day(2027, 3, 15), at(23), at(23, 55))};
    input.buffer = minutes{30};
    CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
          Strings{"2027-03-16T00:30:00-04:00", "2027-03-16T00:45:00-04:00", "2027-03-16T01:00:00-04:00"});
  }
}

TEST_CASE("closed dates and time off give nothing", "[availability]") {
  auto input = calendar(date::Tuesday, at(9), at(12));
  SECTION("closed date") {
    input.closedDates = {day(2027, 3, 16)};
    CHECK(findFreeSlots(input, day(2027, 3, 16), day(2027, 3, 16), kHour).empty());
    const auto week = findFreeSlots(input, day(2027, 3, 9), day(2027, 3, 16), kHour);
    REQUIRE(week.size() == 9);
    CHECK(core::localDateOf(week.back().start, toronto()) == day(2027, 3, 9));
  }
  SECTION("time off, inclusive on both ends") {
    input.timeOff = {{day(2027, 3, 10), day(2027, 3, 16)}};
    CHECK(findFreeSlots(input, day(2027, 3, 16), day(2027, 3, 16), kHour).empty());
    input.timeOff = {{day(2027, 3, 16), day(2027, 3, 20)}};
    CHECK(findFreeSlots(input, day(2027, 3, 16), day(2027, 3, 16), kHour).empty());
    CHECK(findFreeSlots(input, day(2027, 3, 9), day(2027, 3, 9), kHour).size() == 9);
  }
}

TEST_CASE("window shapes and the grid", "[availability]") {
  const LocalDate tuesday = day(2027, 3, 16);
  SECTION("a session longer than the window gives nothing") {
    const auto input = calendar(date::Tuesday, at(9), at(12));
    CHECK(findFreeSlots(input, tuesday, tuesday, minutes{240}).empty());
    CHECK(findFreeSlots(input, tuesday, tuesday, minutes{180}).size() == 1);
  }
  SECTION("granularity 30") {
    auto input = calendar(date::Tuesday, at(9), at(12));
    input.granularity = minutes{30};
    CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
          Strings{"2027-03-16T09:00:00-04:00", "2027-03-16T09:30:00-04:00", "2027-03-16T10:00:00-04:00",
                  "2027-03-16T10:30:00-04:00", "2027-03-16T11:00:00-04:00"});
  }
  SECTION("an off-grid window start rounds up to the grid") {
    auto input = calendar(date::Tuesday, at(9, 10), at(12));
    input.granularity = minutes{30};
    CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
          Strings{"2027-03-16T09:30:00-04:00", "2027-03-16T10:00:00-04:00", "2027-03-16T10:30:00-04:00",
                  "2027-03-16T11:00:00-04:00"});
  }
  SECTION("overlapping windows offer each start once") {
    auto input = calendar(date::Tuesday, at(9), at(11));
    input.weekly.push_back({date::Tuesday, at(10), at(12)});
    CHECK(findFreeSlots(input, tuesday, tuesday, kHour).size() == 9);
  }
  SECTION("a session never straddles two adjacent windows") {
    auto input = calendar(date::Tuesday, at(9), at(10, 30));
    input.weekly.push_back({date::Tuesday, at(10, 30), at(12)});
    CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
          Strings{"2027-03-16T09:00:00-04:00", "2027-03-16T09:15:00-04:00", "2027-03-16T09:30:00-04:00",
                  "2027-03-16T10:30:00-04:00", "2027-03-16T10:45:00-04:00", "2027-03-16T11:00:00-04:00"});
  }
  SECTION("caller bugs and bad lengths throw") {
    auto input = calendar(date::Tuesday, at(9), at(12));
    CHECK_THROWS_AS(findFreeSlots(input, tuesday, tuesday, minutes{0}), core::Error);
    input.granularity = minutes{0};
    CHECK_THROWS_AS(findFreeSlots(input, tuesday, tuesday, kHour), core::Error);
    input.granularity = minutes{15};
    input.zone = nullptr;
    CHECK_THROWS_AS(findFreeSlots(input, tuesday, tuesday, kHour), core::Error);
  }
}

TEST_CASE("isFree: half-open intervals, buffers, long intervals", "[availability]") {
  const std::vector<Interval> busy{{utc("2027-03-16T14:00:00Z"), utc("2027-03-16T15:00:00Z")},
                                   {utc("2027-03-16T16:00:00Z"), utc("2027-03-16T17:00:00Z")}};
  const auto slot = [](const char* start, const char* end) { return Interval{utc(start), utc(end)}; };
  CHECK(isFree(busy, slot("2027-03-16T13:00:00Z", "2027-03-16T14:00:00Z"), minutes{0}));
  CHECK(isFree(busy, slot("2027-03-16T15:00:00Z", "2027-03-16T16:00:00Z"), minutes{0}));
  CHECK_FALSE(isFree(busy, slot("2027-03-16T15:00:00Z", "2027-03-16T16:00:00Z"), minutes{1}));
  CHECK_FALSE(isFree(busy, slot("2027-03-16T14:59:00Z", "2027-03-16T15:59:00Z"), minutes{0}));
  CHECK_FALSE(isFree(busy, slot("2027-03-16T13:00:00Z", "2027-03-16T18:00:00Z"), minutes{0}));
  CHECK(isFree(busy, slot("2027-03-16T17:15:00Z", "2027-03-16T18:15:00Z"), minutes{15}));
  CHECK_FALSE(isFree(busy, slot("2027-03-16T17:14:00Z", "2027-03-16T18:14:00Z"), minutes{15}));
  CHECK(isFree({}, slot("2027-03-16T13:00:00Z", "2027-03-16T14:00:00Z"), minutes{15}));
  // A day-long seat that contains a shorter session.
  const std::vector<Interval> nested{{utc("2027-03-16T13:00:00Z"), utc("2027-03-16T21:00:00Z")},
                                     {utc("2027-03-16T14:00:00Z"), utc("2027-03-16T15:00:00Z")}};
  CHECK_FALSE(isFree(nested, slot("2027-03-16T18:00:00Z", "2027-03-16T19:00:00Z"), minutes{0}));
  CHECK(isFree(nested, slot("2027-03-16T21:00:00Z", "2027-03-16T22:00:00Z"), minutes{0}));
}

namespace {

CalendarInput sampleCalendar() {
  auto input = calendar(date::Tuesday, at(8), at(13));
  input.weekly.push_back({date::Sunday, at(0), at(4)});
  input.busy = {session(day(2027, 3, 16), at(10), at(11)), session(day(2027, 11, 9), at(9), at(10, 30))};
  input.buffer = minutes{15};
  input.closedDates = {day(2027, 3, 23)};
  return input;
}

}  // namespace

TEST_CASE("isBookable agrees with findFreeSlots", "[availability]") {
  const auto input = sampleCalendar();
  const std::vector<LocalDate> days{day(2027, 3, 9),  day(2027, 3, 14), day(2027, 3, 16),
                                    day(2027, 3, 23), day(2027, 11, 7), day(2027, 11, 9)};
  int offeredTotal = 0;
  for (const LocalDate d : days) {
    const auto offered = findFreeSlots(input, d, d, kHour);
    offeredTotal += static_cast<int>(offered.size());
    // Every 5 minutes over the UTC span of the local day.
    int sampled = 0;
    const Instant first = core::requireInstant(d, at(0), toronto()) - std::chrono::hours{2};
    for (Instant start = first; start < first + std::chrono::hours{30}; start += minutes{5}) {
      if (core::localDateOf(start, toronto()) != d) continue;
      const Interval candidate{start, start + kHour};
      const bool inOffer = std::find(offered.begin(), offered.end(), candidate) != offered.end();
      INFO(core::formatInstant(start, toronto()));
      CHECK(isBookable(input, candidate) == inOffer);
      ++sampled;
    }
    CHECK(sampled >= 23 * 12);
  }
  CHECK(offeredTotal > 30);
}

TEST_CASE("isBookable on chosen candidates", "[availability]") {
  const auto input = sampleCalendar();
  // The second 01:00 of 2027-11-07 (06:00Z, EST) is not offered; the first (05:00Z, EDT) is.
  CHECK(isBookable(input, {utc("2027-11-07T05:00:00Z"), utc("2027-11-07T06:00:00Z")}));
  CHECK_FALSE(isBookable(input, {utc("2027-11-07T06:00:00Z"), utc("2027-11-07T07:00:00Z")}));
  // On the grid and free: 08:00-09:00 EDT (09:00 + 15 min buffer stays clear of 10:00).
  CHECK(isBookable(input, {utc("2027-03-16T12:00:00Z"), utc("2027-03-16T13:00:00Z")}));
  // Off the grid, or not whole minutes.
  CHECK_FALSE(isBookable(input, {utc("2027-03-16T12:05:00Z"), utc("2027-03-16T13:05:00Z")}));
  CHECK_FALSE(isBookable(input, {utc("2027-03-16T12:00:30Z"), utc("2027-03-16T13:00:30Z")}));
  // Inside the buffer of the 10:00 session.
  CHECK_FALSE(isBookable(input, {utc("2027-03-16T13:00:00Z"), utc("2027-03-16T14:00:00Z")}));
  // Past the window's end (12:00-13:15 EDT), and an empty slot.
  CHECK_FALSE(isBookable(input, {utc("2027-03-16T16:00:00Z"), utc("2027-03-16T17:15:00Z")}));
  CHECK_FALSE(isBookable(input, {utc("2027-03-16T12:00:00Z"), utc("2027-03-16T12:00:00Z")}));
  // Closed date, and a day without a window.
  CHECK_FALSE(isBookable(input, {utc("2027-03-23T12:00:00Z"), utc("2027-03-23T13:00:00Z")}));
  CHECK_FALSE(isBookable(input, {utc("2027-03-17T12:00:00Z"), utc("2027-03-17T13:00:00Z")}));
}

TEST_CASE("nothing before notBefore is offered or bookable", "[availability]") {
  auto input = calendar(date::Tuesday, at(9), at(12));
  const LocalDate tuesday = day(2027, 3, 16);
  input.notBefore = core::requireInstant(tuesday, at(10, 10), toronto());
  CHECK(localStarts(findFreeSlots(input, tuesday, tuesday, kHour)) ==
        Strings{"2027-03-16T10:15:00-04:00", "2027-03-16T10:30:00-04:00", "2027-03-16T10:45:00-04:00",
                "2027-03-16T11:00:00-04:00"});
  CHECK_FALSE(isBookable(input, session(tuesday, at(10), at(11))));
  CHECK(isBookable(input, session(tuesday, at(10, 15), at(11, 15))));
  input.notBefore = core::requireInstant(tuesday, at(10, 15), toronto());  // starting right now is fine
  CHECK(isBookable(input, session(tuesday, at(10, 15), at(11, 15))));
  input.notBefore.reset();
  CHECK(findFreeSlots(input, tuesday, tuesday, kHour).size() == 9);
}
