#include "participants/eligibility.h"

namespace parcours::participants {

std::string_view toString(ProsecutorDecision decision) noexcept {
  return decision == ProsecutorDecision::eligible ? "eligible" : "ineligible";
}

std::optional<ProsecutorDecision> prosecutorDecisionFromString(std::string_view text) noexcept {
  if (text == "eligible") return ProsecutorDecision::eligible;
  if (text == "ineligible") return ProsecutorDecision::ineligible;
  return std::nullopt;
}

EligibilityOutcome decideEligibility(const EligibilityInput& input) {
  EligibilityOutcome outcome;
  if (input.offenceInvolvedMinor) outcome.reasons.emplace_back(reason::offence_involved_minor);
  if (input.historyOfViolence) outcome.reasons.emplace_back(reason::history_of_violence);
  if (input.earlierParticipation) outcome.reasons.emplace_back(reason::earlier_participation);
  if (!input.prosecutorSaysEligible) outcome.reasons.emplace_back(reason::prosecutor_decision);
  outcome.eligible = outcome.reasons.empty();
  return outcome;
}

}  // namespace parcours::participants
