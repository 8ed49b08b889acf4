#include "scheduler/session_rules.h"

#include "core/error.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

namespace {
Error stateConflict(const char* message, SessionStatus current) {
  Error error(ErrorCode::conflict, message);
  error.withMember("current_status", core::jsonQuote(toString(current)));
  return error;
}
}  // namespace

void requireNotPast(core::Instant start, core::Instant now, const char* field) {
  if (start < now) throw Error(ErrorCode::unprocessable, "must not be in the past", field);
}

std::chrono::minutes sessionLength(std::optional<int> requested, int practitionerMinutes) {
  const int minutes = requested.value_or(practitionerMinutes);
  if (minutes < 30 || minutes > 120) throw Error(ErrorCode::unprocessable, "must be 30 to 120", "minutes");
  return std::chrono::minutes(minutes);
}

void requireSchedulable(participants::Status status) {
  if (status != participants::Status::enrolled && status != participants::Status::in_therapy) {
    throw Error(ErrorCode::conflict, "only an enrolled participant can be scheduled")
        .withMember("current_status", core::jsonQuote(participants::toString(status)));
  }
}

void requirePlanStartNotPast(core::LocalDate startOn, core::LocalDate today) {
  if (startOn < today) throw Error(ErrorCode::unprocessable, "must not be in the past", "start_on");
}

void requireScheduled(SessionStatus current, const char* message) {
  if (current != SessionStatus::scheduled) throw stateConflict(message, current);
}

CancelledBy parseCancelledBy(std::string_view text) {
  const auto by = cancelledByFromString(text);
  if (!by) throw Error(ErrorCode::unprocessable, "must be participant, practitioner or program", "by");
  return *by;
}

void requireCancelReason(const std::string& reason) {
  if (reason.empty() || reason.size() > 1000) throw Error(ErrorCode::unprocessable, "1 to 1000 bytes", "reason");
}

SessionStatus cancellationStatus(CancelledBy by, core::Instant start, core::Instant now, std::chrono::hours notice) {
  const bool late = by == CancelledBy::participant && start - now < notice;
  return late ? SessionStatus::late_cancelled : SessionStatus::cancelled;
}

SessionStatus parseAttendanceStatus(std::string_view text) {
  const auto status = sessionStatusFromString(text);
  if (!status ||
      (*status != SessionStatus::attended && *status != SessionStatus::no_show && *status != SessionStatus::excused)) {
    throw Error(ErrorCode::unprocessable, "must be attended, no_show or excused", "status");
  }
  return *status;
}

void requireMayExcuse(SessionStatus requested, bool byCoordinator) {
  if (requested == SessionStatus::excused && !byCoordinator) {
    throw Error(ErrorCode::forbidden, "only a coordinator may excuse a session");
  }
}

bool mayFollow(SessionStatus current, SessionStatus requested) {
  if (requested == SessionStatus::excused) {
    return current == SessionStatus::scheduled || current == SessionStatus::no_show ||
           current == SessionStatus::late_cancelled;
  }
  return current == SessionStatus::scheduled || current == SessionStatus::attended || current == SessionStatus::no_show;
}

void checkAttendance(SessionStatus current, SessionStatus requested, core::Instant start, core::Instant now) {
  if (!mayFollow(current, requested)) throw stateConflict("attendance cannot be recorded for this session", current);
  if (requested != SessionStatus::excused && now < start) {
    throw stateConflict("attendance is recorded once the session has started", current);
  }
}

void countSessions(TherapyRecord& record, SessionStatus status, int count) {
  switch (status) {
    case SessionStatus::attended:
    case SessionStatus::excused: record.sessionsAttended += count; break;
    case SessionStatus::no_show:
    case SessionStatus::late_cancelled: record.sessionsMissed += count; break;
    case SessionStatus::scheduled: record.sessionsPending += count; break;
    case SessionStatus::cancelled: break;  // cancelled in time: does not count
  }
}

}  // namespace parcours::scheduler
