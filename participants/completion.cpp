#include "participants/completion.h"

namespace parcours::participants {

std::vector<std::string> unmetCompletionCriteria(const CompletionFacts& facts) {
  std::vector<std::string> unmet;
  if (!facts.awarenessDayAttended) unmet.emplace_back("awareness_day");
  if (facts.sessionsAttended == 0) unmet.emplace_back("therapy_sessions");
  if (facts.sessionsMissed > 0) unmet.emplace_back("missed_sessions");
  if (facts.sessionsPending > 0) unmet.emplace_back("pending_sessions");
  if (facts.balanceCents > 0) unmet.emplace_back("fee");
  return unmet;
}

}  // namespace parcours::participants
