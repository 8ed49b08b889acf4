#pragma once
// The values of scheduling: a session as clients and the calendar feed see
// it, the plan a coordinator asks for, the filter of a session list and a
// participant's record of sessions.

#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "scheduler/calendar_types.h"
#include "scheduler/placement.h"
#include "scheduler/session_status.h"

namespace parcours::scheduler {

struct SessionView {
  std::optional<core::SessionId> id;  // none for a session of a dry-run plan
  core::PractitionerId practitionerId{0};
  core::ParticipantId participantId{0};
  std::string participantCode;
  std::optional<core::PlanId> planId;
  Interval slot;
  SessionStatus status = SessionStatus::scheduled;
  std::optional<CancelledBy> cancelledBy;
  std::optional<std::string> cancelReason;
  int sequence = 0;
  core::Instant updatedAt;
  const date::time_zone* zone = nullptr;  // the practitioner's, for local times
};

struct PlanInput {
  core::PractitionerId practitionerId{0};
  int weeks = 1;
  core::LocalDate startOn;
  std::optional<int> sessionMinutes;  // default: the practitioner's
  Preferences preferences;
  bool allowExtension = false;
  bool dryRun = false;
};

struct PlanOutcome {
  std::optional<core::PlanId> planId;  // none on a dry run
  std::vector<SessionView> sessions;
};

struct SessionFilter {
  std::optional<core::PractitionerId> practitionerId;
  std::optional<core::ParticipantId> participantId;
  std::optional<core::Instant> from;
  std::optional<core::Instant> to;
  // Cursor: the last session of the previous page; the list is ordered by
  // start, then id, so the next page starts after that session.
  std::optional<core::SessionId> afterSessionId;
  int limit = 500;
};

// What a participant did of their program, for the completion criteria.
struct TherapyRecord {
  int sessionsAttended = 0;                               // attended or excused
  int sessionsMissed = 0;                                 // no_show or late_cancelled
  int sessionsPending = 0;                                // still scheduled
  std::optional<core::LocalDate> awarenessDayAttendedOn;  // in the program's zone
};

}  // namespace parcours::scheduler
