#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.h"
#include "scheduler/awareness_rules.h"
#include "scheduler/practitioner_rules.h"

using namespace parcours;
using std::chrono::minutes;

namespace {

// The fields a call's 422 names, or {"(no error)"}.
template <class F>
std::set<std::string> fieldsOf(F&& call) {
  try {
    call();
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::unprocessable);
    std::set<std::string> fields;
    for (const auto& f : e.fieldErrors()) fields.insert(f.field);
    return fields;
  }
  return {"(no error)"};
}

scheduler::NewPractitioner valid() {
  scheduler::NewPractitioner in;
  in.displayName = "Dr Ada";
  in.discipline = "sexologist";
  in.email = "ada@example.org";
  return in;
}

}  // namespace

TEST_CASE("a practitioner takes the defaults it is not given", "[practitioner_rules]") {
  const auto p = scheduler::validatePractitioner(valid(), "America/Toronto");
  CHECK(p.displayName == "Dr Ada");
  CHECK(p.discipline == "sexologist");
  CHECK(p.timeZone == "America/Toronto");
  CHECK(p.sessionMinutes == 60);
  CHECK(p.bufferMinutes == 0);
  auto in = valid();
  in.timeZone = "Europe/Paris";
  in.sessionMinutes = 45;
  in.bufferMinutes = 120;
  const auto q = scheduler::validatePractitioner(in, "America/Toronto");
  CHECK(q.timeZone == "Europe/Paris");
  CHECK(q.sessionMinutes == 45);
  CHECK(q.bufferMinutes == 120);
}

TEST_CASE("a practitioner's 422 names every invalid field at once", "[practitioner_rules]") {
  CHECK(fieldsOf([] { scheduler::validatePractitioner({}, "America/Toronto"); }) ==
        std::set<std::string>{"display_name", "discipline", "email"});
  scheduler::NewPractitioner in;
  in.displayName = "tab\there";
  in.discipline = "doctor";
  in.email = "@example.org";
  in.timeZone = "Mars/Olympus";
  in.sessionMinutes = 50;
  in.bufferMinutes = -1;
  CHECK(fieldsOf([&] { scheduler::validatePractitioner(in, "America/Toronto"); }) ==
        std::set<std::string>{"display_name", "discipline", "email", "time_zone", "session_minutes", "buffer_minutes"});
  for (const char* email : {"ada@example", "ada example@x.org", "ada.example.org"}) {
    auto bad = valid();
    bad.email = email;
    CHECK(fieldsOf([&] { scheduler::validatePractitioner(bad, "America/Toronto"); }) == std::set<std::string>{"email"});
  }
}

TEST_CASE("an awareness day is checked whole", "[awareness_rules]") {
  const auto now = core::parseInstant("2027-03-10T15:00:00Z");
  const auto day = scheduler::validateAwarenessDay(now, 180, std::nullopt, "Salle A", {"Dr Ada"}, now);
  CHECK(day.capacity == 12);
  CHECK(day.slot.end - day.slot.start == minutes(180));
  CHECK(day.seatsTaken == 0);
  CHECK(fieldsOf([&] { scheduler::validateAwarenessDay(now - minutes(1), 20, 0, "", {}, now); }) ==
        std::set<std::string>{"start", "minutes", "capacity", "location", "speakers"});
  CHECK(fieldsOf([&] { scheduler::validateAwarenessDay(now, 720, 500, std::string(500, 'x'), {"two\nlines"}, now); }) ==
        std::set<std::string>{"speakers"});
  CHECK(fieldsOf([&] {
          scheduler::validateAwarenessDay(now, 721, 501, std::string(501, 'x'), std::vector<std::string>(21, "x"), now);
        }) == std::set<std::string>{"minutes", "capacity", "location", "speakers"});
}

TEST_CASE("seats: who is seated and when attendance is recorded", "[awareness_rules]") {
  using participants::Status;
  CHECK_NOTHROW(scheduler::requireSeatable(Status::enrolled));
  CHECK_NOTHROW(scheduler::requireSeatable(Status::in_therapy));
  CHECK_THROWS_AS(scheduler::requireSeatable(Status::referred), core::Error);
  CHECK_THROWS_AS(scheduler::requireSeatable(Status::completed), core::Error);
  using scheduler::SeatStatus;
  CHECK(scheduler::parseSeatAttendance("attended") == SeatStatus::attended);
  CHECK(scheduler::parseSeatAttendance("no_show") == SeatStatus::no_show);
  CHECK(scheduler::parseSeatAttendance("excused") == SeatStatus::excused);
  CHECK(fieldsOf([] { scheduler::parseSeatAttendance("seated"); }) == std::set<std::string>{"status"});
  CHECK(fieldsOf([] { scheduler::parseSeatAttendance("Attended"); }) == std::set<std::string>{"status"});
  for (const SeatStatus s : {SeatStatus::seated, SeatStatus::attended, SeatStatus::no_show, SeatStatus::excused}) {
    CHECK(scheduler::seatStatusFromString(scheduler::toString(s)) == s);
  }
  const auto start = core::parseInstant("2027-03-10T15:00:00Z");
  CHECK_NOTHROW(scheduler::requireDayStarted(SeatStatus::attended, start, start));
  CHECK_NOTHROW(scheduler::requireDayStarted(SeatStatus::excused, start, start - minutes(60)));
  try {
    scheduler::requireDayStarted(SeatStatus::no_show, start, start - minutes(1));
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::conflict);
  }
}
