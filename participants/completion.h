#pragma once
// The completion criteria of docs/domain.md ("Participant lifecycle") — pure:
// the awareness day attended, every therapy session attended or excused,
// the fee settled. Sessions cancelled (by anyone, before the late-notice
// limit) don't count; `no_show` and `late_cancelled` count as missed unless
// a coordinator excused them; a session still `scheduled` is not yet done.

#include <cstdint>
#include <string>
#include <vector>

namespace parcours::participants {

struct CompletionFacts {
  bool awarenessDayAttended = false;
  int sessionsAttended = 0;  // attended or excused
  int sessionsMissed = 0;    // no_show or late_cancelled, not excused
  int sessionsPending = 0;   // still scheduled
  std::int64_t balanceCents = 0;
};

// What is still missing, as stable codes for API clients: empty when the
// participant may complete. Codes: "awareness_day", "therapy_sessions"
// (none attended yet), "missed_sessions", "pending_sessions", "fee".
std::vector<std::string> unmetCompletionCriteria(const CompletionFacts& facts);

}  // namespace parcours::participants
