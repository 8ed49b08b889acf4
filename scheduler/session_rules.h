#pragma once
// The rules of a session's life, as pure functions: what may be booked,
// how a cancellation is counted, which attendance may follow which status.
// Each takes values and the current instant (never reads a clock) and
// either returns the decision or throws the core::Error the client sees
// (422 for a value that can never be right, 403 for a role that may not,
// 409 for a session whose state does not allow it, with `current_status`).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "participants/lifecycle.h"
#include "scheduler/session.h"
#include "scheduler/session_status.h"

namespace parcours::scheduler {

// --- booking -----------------------------------------------------------------

// Nothing is booked or moved into the past (a session that never took place
// could otherwise be marked attended): 422 naming `field` when start < now.
void requireNotPast(core::Instant start, core::Instant now, const char* field);

// The requested length, or the practitioner's when none is asked for;
// 422 on `minutes` outside 30..120.
std::chrono::minutes sessionLength(std::optional<int> requested, int practitionerMinutes);

// Only an enrolled participant (or one already in therapy) is scheduled;
// 409 naming the current status otherwise.
void requireSchedulable(participants::Status status);

// A plan starts today at the earliest, in the practitioner's zone; 422 on
// `start_on` otherwise.
void requirePlanStartNotPast(core::LocalDate startOn, core::LocalDate today);

// Only a scheduled session is moved or cancelled: 409 with `message` and
// the current status otherwise.
void requireScheduled(SessionStatus current, const char* message);

// --- cancellation ------------------------------------------------------------

// Who cancels, from its JSON string; 422 on `by` for anything else.
CancelledBy parseCancelledBy(std::string_view text);

// A reason is required, 1 to 1000 bytes; 422 on `reason`.
void requireCancelReason(const std::string& reason);

// The late-cancel rule: a cancellation by the participant less than
// `notice` before the start (or after it) is `late_cancelled` — a missed
// session of the program; any other is `cancelled`. Cancellations by the
// practitioner or the program are never late.
SessionStatus cancellationStatus(CancelledBy by, core::Instant start, core::Instant now, std::chrono::hours notice);

// --- attendance --------------------------------------------------------------

// The status asked for, from its JSON string: attended, no_show or
// excused; 422 on `status` for anything else.
SessionStatus parseAttendanceStatus(std::string_view text);

// Only a coordinator excuses: 403 when `requested` is excused and the
// caller is not one.
void requireMayExcuse(SessionStatus requested, bool byCoordinator);

// Which attendance may follow which status. `excused` follows a session
// still scheduled, a no-show or a late cancellation; `attended` and
// `no_show` follow a scheduled session or correct each other (or repeat).
// Nothing follows `excused` or `cancelled`.
// REQUIRES: `requested` is attended, no_show or excused.
bool mayFollow(SessionStatus current, SessionStatus requested);

// The whole attendance decision for a loaded session: 409 when `requested`
// may not follow `current`, and 409 when it is attended or no_show before
// the session has started (an excuse may come before).
void checkAttendance(SessionStatus current, SessionStatus requested, core::Instant start, core::Instant now);

// --- the participant's record ------------------------------------------------

// Adds `count` sessions in `status` to the record: attended and excused
// count as attended, no_show and late_cancelled as missed, scheduled as
// pending; a cancellation in time does not count.
void countSessions(TherapyRecord& record, SessionStatus status, int count);

}  // namespace parcours::scheduler
