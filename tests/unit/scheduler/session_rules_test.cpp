#include "scheduler/session_rules.h"

#include <chrono>

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours;
using core::Instant;
using scheduler::CancelledBy;
using scheduler::SessionStatus;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

Instant utc(const char* text) {
  return core::parseInstant(text);
}

// The error a call throws: its code, first field and detail.
struct Caught {
  core::ErrorCode code_ = core::ErrorCode::internal;
  std::string field_;
  std::string what_;
  std::string currentStatus_;
  core::ErrorCode code() const { return code_; }
  const std::string& field() const { return field_; }
  const char* what() const { return what_.c_str(); }
  const std::string& currentStatus() const { return currentStatus_; }
};

template <class F>
Caught errorOf(F&& call) {
  try {
    call();
  } catch (const core::Error& e) {
    Caught caught{e.code(), e.fieldErrors().empty() ? "" : e.fieldErrors().front().field, e.what(), ""};
    if (const auto found = e.members().find("current_status"); found != e.members().end()) {
      caught.currentStatus_ = found->second;
    }
    return caught;
  }
  FAIL("no error thrown");
  return {};
}

constexpr SessionStatus kAll[] = {SessionStatus::scheduled, SessionStatus::attended,  SessionStatus::no_show,
                                  SessionStatus::excused,   SessionStatus::cancelled, SessionStatus::late_cancelled};

}  // namespace

TEST_CASE("statuses and cancellers keep their JSON and SQL strings", "[session_status]") {
  CHECK(scheduler::toString(SessionStatus::late_cancelled) == "late_cancelled");
  CHECK(scheduler::toString(SessionStatus::no_show) == "no_show");
  for (const auto status : kAll) CHECK(scheduler::sessionStatusFromString(scheduler::toString(status)) == status);
  CHECK_FALSE(scheduler::sessionStatusFromString("Scheduled"));
  CHECK_FALSE(scheduler::sessionStatusFromString(""));
  for (const auto by : {CancelledBy::participant, CancelledBy::practitioner, CancelledBy::program}) {
    CHECK(scheduler::cancelledByFromString(scheduler::toString(by)) == by);
  }
  CHECK(scheduler::toString(CancelledBy::program) == "program");
  CHECK_FALSE(scheduler::cancelledByFromString("coordinator"));
}

TEST_CASE("only cancellations release their time", "[session_status]") {
  CHECK(scheduler::holdsTime(SessionStatus::scheduled));
  CHECK(scheduler::holdsTime(SessionStatus::attended));
  CHECK(scheduler::holdsTime(SessionStatus::no_show));
  CHECK(scheduler::holdsTime(SessionStatus::excused));
  CHECK_FALSE(scheduler::holdsTime(SessionStatus::cancelled));
  CHECK_FALSE(scheduler::holdsTime(SessionStatus::late_cancelled));
}

TEST_CASE("the late-cancel rule", "[session_rules]") {
  const Instant start = utc("2027-03-10T15:00:00Z");
  const hours notice{24};
  SECTION("a participant cancelling inside the notice cancels late") {
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start - hours(23), notice) ==
          SessionStatus::late_cancelled);
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start - minutes(1), notice) ==
          SessionStatus::late_cancelled);
  }
  SECTION("exactly the notice before is in time") {
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start - hours(24), notice) ==
          SessionStatus::cancelled);
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start - hours(24) + std::chrono::seconds(1),
                                        notice) == SessionStatus::late_cancelled);
  }
  SECTION("after the start is late too") {
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start + hours(1), notice) ==
          SessionStatus::late_cancelled);
  }
  SECTION("the practitioner and the program never cancel late") {
    for (const auto by : {CancelledBy::practitioner, CancelledBy::program}) {
      CHECK(scheduler::cancellationStatus(by, start, start - minutes(5), notice) == SessionStatus::cancelled);
      CHECK(scheduler::cancellationStatus(by, start, start + hours(2), notice) == SessionStatus::cancelled);
    }
  }
  SECTION("the window is configurable, zero included") {
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start - hours(30), hours(48)) ==
          SessionStatus::late_cancelled);
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start - minutes(1), hours(0)) ==
          SessionStatus::cancelled);
    CHECK(scheduler::cancellationStatus(CancelledBy::participant, start, start + minutes(1), hours(0)) ==
          SessionStatus::late_cancelled);
  }
}

TEST_CASE("who cancels and why are checked before anything is read", "[session_rules]") {
  CHECK(scheduler::parseCancelledBy("practitioner") == CancelledBy::practitioner);
  const auto bad = errorOf([] { scheduler::parseCancelledBy("admin"); });
  CHECK(bad.code() == core::ErrorCode::unprocessable);
  CHECK(bad.field() == "by");
  CHECK_NOTHROW(scheduler::requireCancelReason("sick"));
  CHECK_NOTHROW(scheduler::requireCancelReason(std::string(1000, 'x')));
  CHECK(errorOf([] { scheduler::requireCancelReason(""); }).field() == "reason");
  CHECK(errorOf([] { scheduler::requireCancelReason(std::string(1001, 'x')); }).code() ==
        core::ErrorCode::unprocessable);
}

TEST_CASE("only a scheduled session is moved or cancelled", "[session_rules]") {
  CHECK_NOTHROW(scheduler::requireScheduled(SessionStatus::scheduled, "x"));
  for (const auto status : kAll) {
    if (status == SessionStatus::scheduled) continue;
    const auto e = errorOf([&] { scheduler::requireScheduled(status, "only a scheduled session can be moved"); });
    CHECK(e.code() == core::ErrorCode::conflict);
    CHECK(std::string(e.what()) == "only a scheduled session can be moved");
    CHECK(e.currentStatus() == "\"" + std::string(scheduler::toString(status)) + "\"");
  }
}

TEST_CASE("attendance statuses from their strings", "[session_rules]") {
  CHECK(scheduler::parseAttendanceStatus("attended") == SessionStatus::attended);
  CHECK(scheduler::parseAttendanceStatus("no_show") == SessionStatus::no_show);
  CHECK(scheduler::parseAttendanceStatus("excused") == SessionStatus::excused);
  for (const char* text : {"scheduled", "cancelled", "late_cancelled", "present", ""}) {
    const auto e = errorOf([&] { scheduler::parseAttendanceStatus(text); });
    CHECK(e.code() == core::ErrorCode::unprocessable);
    CHECK(e.field() == "status");
  }
}

TEST_CASE("only a coordinator excuses", "[session_rules]") {
  CHECK(errorOf([] { scheduler::requireMayExcuse(SessionStatus::excused, false); }).code() ==
        core::ErrorCode::forbidden);
  CHECK_NOTHROW(scheduler::requireMayExcuse(SessionStatus::excused, true));
  CHECK_NOTHROW(scheduler::requireMayExcuse(SessionStatus::attended, false));
  CHECK_NOTHROW(scheduler::requireMayExcuse(SessionStatus::no_show, false));
}

TEST_CASE("which attendance may follow which status", "[session_rules]") {
  using S = SessionStatus;
  // The whole table, written out: rows are the current status.
  struct Row {
    S current;
    bool attended, noShow, excused;
  };
  const Row table[] = {
      {S::scheduled, true, true, true},  {S::attended, true, true, false},    {S::no_show, true, true, true},
      {S::excused, false, false, false}, {S::cancelled, false, false, false}, {S::late_cancelled, false, false, true},
  };
  for (const auto& row : table) {
    INFO(scheduler::toString(row.current));
    CHECK(scheduler::mayFollow(row.current, S::attended) == row.attended);
    CHECK(scheduler::mayFollow(row.current, S::no_show) == row.noShow);
    CHECK(scheduler::mayFollow(row.current, S::excused) == row.excused);
  }
}

TEST_CASE("attendance is recorded once the session has started, an excuse at any time", "[session_rules]") {
  const Instant start = utc("2027-03-10T15:00:00Z");
  CHECK_NOTHROW(scheduler::checkAttendance(SessionStatus::scheduled, SessionStatus::attended, start, start));
  CHECK_NOTHROW(scheduler::checkAttendance(SessionStatus::scheduled, SessionStatus::no_show, start, start + hours(1)));
  CHECK_NOTHROW(scheduler::checkAttendance(SessionStatus::scheduled, SessionStatus::excused, start, start - hours(48)));
  const auto early = errorOf([&] {
    scheduler::checkAttendance(SessionStatus::scheduled, SessionStatus::attended, start, start - minutes(1));
  });
  CHECK(early.code() == core::ErrorCode::conflict);
  CHECK(std::string(early.what()) == "attendance is recorded once the session has started");
  const auto refused = errorOf(
      [&] { scheduler::checkAttendance(SessionStatus::cancelled, SessionStatus::attended, start, start + hours(1)); });
  CHECK(refused.code() == core::ErrorCode::conflict);
  CHECK(std::string(refused.what()) == "attendance cannot be recorded for this session");
  // The transition is judged before the time: a cancelled session is refused as such, even early.
  const auto both = errorOf(
      [&] { scheduler::checkAttendance(SessionStatus::excused, SessionStatus::no_show, start, start - hours(1)); });
  CHECK(std::string(both.what()) == "attendance cannot be recorded for this session");
}

TEST_CASE("the past-start rule and the session length", "[session_rules]") {
  const Instant now = utc("2027-03-10T15:00:00Z");
  CHECK_NOTHROW(scheduler::requireNotPast(now, now, "start"));
  CHECK_NOTHROW(scheduler::requireNotPast(now + minutes(1), now, "start"));
  const auto past = errorOf([&] { scheduler::requireNotPast(now - std::chrono::seconds(1), now, "start"); });
  CHECK(past.code() == core::ErrorCode::unprocessable);
  CHECK(past.field() == "start");
  CHECK(scheduler::sessionLength(std::nullopt, 45) == minutes(45));
  CHECK(scheduler::sessionLength(90, 45) == minutes(90));
  CHECK(scheduler::sessionLength(30, 60) == minutes(30));
  CHECK(scheduler::sessionLength(120, 60) == minutes(120));
  CHECK(errorOf([] { scheduler::sessionLength(29, 60); }).field() == "minutes");
  CHECK(errorOf([] { scheduler::sessionLength(121, 60); }).field() == "minutes");
  const auto today = core::parseDate("2027-03-10");
  CHECK_NOTHROW(scheduler::requirePlanStartNotPast(today, today));
  CHECK(errorOf([&] { scheduler::requirePlanStartNotPast(today - date::days(1), today); }).field() == "start_on");
}

TEST_CASE("only an enrolled participant is scheduled", "[session_rules]") {
  using participants::Status;
  CHECK_NOTHROW(scheduler::requireSchedulable(Status::enrolled));
  CHECK_NOTHROW(scheduler::requireSchedulable(Status::in_therapy));
  for (const auto status :
       {Status::referred, Status::eligible, Status::ineligible, Status::completed, Status::withdrawn}) {
    CHECK(errorOf([&] { scheduler::requireSchedulable(status); }).code() == core::ErrorCode::conflict);
  }
}

TEST_CASE("a therapy record counts sessions by what they were", "[session_rules]") {
  scheduler::TherapyRecord record;
  scheduler::countSessions(record, SessionStatus::attended, 5);
  scheduler::countSessions(record, SessionStatus::excused, 1);
  scheduler::countSessions(record, SessionStatus::no_show, 2);
  scheduler::countSessions(record, SessionStatus::late_cancelled, 1);
  scheduler::countSessions(record, SessionStatus::scheduled, 3);
  scheduler::countSessions(record, SessionStatus::cancelled, 4);
  CHECK(record.sessionsAttended == 6);
  CHECK(record.sessionsMissed == 3);
  CHECK(record.sessionsPending == 3);
  CHECK_FALSE(record.awarenessDayAttendedOn);
}
