#pragma once
// The plan-placement rule (docs/domain.md, "Therapy plans and placement"),
// pure: it sees free slots through a function and never touches a
// database or a clock.
//
// Week k of a plan covers the 7 local days from startOn + 7(k−1). A free slot
// is acceptable when its local start (in `zone`) meets the preferences. The
// regular slot is the (weekday, local start time) acceptable and free in the
// most weeks of the plan (weeks 1..N); ties go Monday first, then the earlier
// time, whatever weekday startOn is. Each week takes the regular slot when it
// is free, otherwise its acceptable free start closest in time to where the
// regular slot would have been that week (the earlier on ties). The regular
// slot keeps its local wall time across daylight-saving changes.

#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "scheduler/calendar_types.h"

namespace parcours::scheduler {

struct Preferences {
  std::vector<date::weekday> weekdays;      // empty: any weekday
  std::optional<core::LocalTime> earliest;  // earliest local start
  std::optional<core::LocalTime> latest;    // latest local START (inclusive)
};

struct PlanRequest {
  core::LocalDate startOn;
  int weeks = 1;  // 1..8
  std::chrono::minutes length{60};
  Preferences preferences;
  // Skip a week with no acceptable slot and add one at the end, at most 2 extra weeks.
  bool allowExtension = false;
  const date::time_zone* zone = nullptr;
};

struct PlacedSession {
  int week;  // 1-based index of the week it sits in (may exceed `weeks` when extended)
  Interval slot;
};

// Inclusive local dates of the week.
struct FailingWeek {
  int index;
  core::LocalDate from;
  core::LocalDate to;
};

struct Placement {
  std::vector<PlacedSession> sessions;     // in week order; empty when failed
  std::optional<FailingWeek> failingWeek;  // set when the plan cannot be placed
  // The plan's regular (weekday, local start time); absent when no week of
  // the plan has an acceptable slot. Set on a failure too when it was found.
  std::optional<std::pair<date::weekday, core::LocalTime>> regularSlot;
};

// Returns the free slots (sorted, each lasting request.length) whose local
// start date is in [from, to] (inclusive).
using FreeSlotSource = std::function<std::vector<Interval>(core::LocalDate from, core::LocalDate to)>;

// Places the plan. Calls `freeSlots` once, for the weeks of the plan plus the
// 2 possible extra weeks when request.allowExtension.
// Fails (failingWeek set, no sessions) on the first week without an
// acceptable slot — with allowExtension, on the third such week; when no
// week of the plan has any acceptable slot, failingWeek is week 1.
// Throws what validatePlanRequest throws.
Placement placePlan(const PlanRequest& request, const FreeSlotSource& freeSlots);

// Throws core::Error(unprocessable) listing every bad field: "weeks" (1..8),
// "session_minutes" (30..120, a multiple of 15), "preferences" (valid
// weekdays and times, earliest <= latest). A null zone is a caller bug:
// core::Error(internal).
void validatePlanRequest(const PlanRequest& request);

// The 409 for a failed placement: "no acceptable slot in week N (from
// YYYY-MM-DD to YYYY-MM-DD)" with the problem member
// failing_week = {"index":N,"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}.
core::Error placementConflict(const FailingWeek& week);

}  // namespace parcours::scheduler
