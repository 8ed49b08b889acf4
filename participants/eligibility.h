#pragma once
// The eligibility decision: the prosecutor decides, and the program's
// exclusion criteria (docs/domain.md) always make the person ineligible, whatever
// the prosecutor said.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::participants {

// What the prosecutor decided, as the API and storage name it.
enum class ProsecutorDecision { eligible, ineligible };

// "eligible" | "ineligible".
std::string_view toString(ProsecutorDecision decision) noexcept;
// The inverse of toString; nullopt for anything else (exact match).
std::optional<ProsecutorDecision> prosecutorDecisionFromString(std::string_view text) noexcept;

struct EligibilityInput {
  bool prosecutorSaysEligible = false;
  bool offenceInvolvedMinor = false;  // includes an attempt to buy services from a minor
  bool historyOfViolence = false;
  // Another file of the same person ever reached `enrolled` (whatever its
  // state now). The caller finds it through the keyed hash of the normalised
  // name and birth date.
  bool earlierParticipation = false;
};

// Stable machine names of the reasons, as given in `ineligibility_reasons`.
namespace reason {
inline constexpr std::string_view offence_involved_minor = "offence_involved_minor";
inline constexpr std::string_view history_of_violence = "history_of_violence";
inline constexpr std::string_view earlier_participation = "earlier_participation";
inline constexpr std::string_view prosecutor_decision = "prosecutor_decision";
}  // namespace reason

struct EligibilityOutcome {
  bool eligible = false;
  // Every reason that applies, in the order of the `reason` constants above;
  // empty exactly when `eligible`.
  std::vector<std::string> reasons;
};

// Eligible only when the prosecutor said so and no exclusion criterion holds.
// "prosecutor_decision" is listed whenever the prosecutor said ineligible,
// alongside any exclusion criteria.
EligibilityOutcome decideEligibility(const EligibilityInput& input);

}  // namespace parcours::participants
