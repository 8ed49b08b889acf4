#include "participants/eligibility.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace parcours::participants;
using Reasons = std::vector<std::string>;

TEST_CASE("the prosecutor's decision alone, without exclusion criteria", "[eligibility]") {
  const auto yes = decideEligibility({.prosecutorSaysEligible = true});
  CHECK(yes.eligible);
  CHECK(yes.reasons.empty());

  const auto no = decideEligibility({.prosecutorSaysEligible = false});
  CHECK_FALSE(no.eligible);
  CHECK(no.reasons == Reasons{"prosecutor_decision"});
}

TEST_CASE("each exclusion criterion alone overrides an eligible decision", "[eligibility]") {
  const auto minor = decideEligibility({.prosecutorSaysEligible = true, .offenceInvolvedMinor = true});
  CHECK_FALSE(minor.eligible);
  CHECK(minor.reasons == Reasons{"offence_involved_minor"});

  const auto violence = decideEligibility({.prosecutorSaysEligible = true, .historyOfViolence = true});
  CHECK_FALSE(violence.eligible);
  CHECK(violence.reasons == Reasons{"history_of_violence"});

  const auto earlier = decideEligibility({.prosecutorSaysEligible = true, .earlierParticipation = true});
  CHECK_FALSE(earlier.eligible);
  CHECK(earlier.reasons == Reasons{"earlier_participation"});
}

TEST_CASE("combined criteria are all listed, in a stable order", "[eligibility]") {
  const auto all = decideEligibility({.prosecutorSaysEligible = false,
                                      .offenceInvolvedMinor = true,
                                      .historyOfViolence = true,
                                      .earlierParticipation = true});
  CHECK_FALSE(all.eligible);
  CHECK(all.reasons ==
        Reasons{"offence_involved_minor", "history_of_violence", "earlier_participation", "prosecutor_decision"});

  const auto two =
      decideEligibility({.prosecutorSaysEligible = true, .offenceInvolvedMinor = true, .earlierParticipation = true});
  CHECK_FALSE(two.eligible);
  CHECK(two.reasons == Reasons{"offence_involved_minor", "earlier_participation"});

  const auto withProsecutor = decideEligibility({.prosecutorSaysEligible = false, .historyOfViolence = true});
  CHECK(withProsecutor.reasons == Reasons{"history_of_violence", "prosecutor_decision"});
}

TEST_CASE("eligible exactly when no reason applies, over all 16 inputs", "[eligibility]") {
  for (int bits = 0; bits < 16; ++bits) {
    const EligibilityInput input{.prosecutorSaysEligible = (bits & 1) != 0,
                                 .offenceInvolvedMinor = (bits & 2) != 0,
                                 .historyOfViolence = (bits & 4) != 0,
                                 .earlierParticipation = (bits & 8) != 0};
    const auto outcome = decideEligibility(input);
    CAPTURE(bits);
    CHECK(outcome.eligible == (bits == 1));
    CHECK(outcome.eligible == outcome.reasons.empty());
  }
}

TEST_CASE("the prosecutor's decision names round-trip and nothing else is one", "[eligibility]") {
  for (const auto decision : {ProsecutorDecision::eligible, ProsecutorDecision::ineligible}) {
    CHECK(prosecutorDecisionFromString(toString(decision)) == decision);
  }
  CHECK(toString(ProsecutorDecision::eligible) == "eligible");
  CHECK(toString(ProsecutorDecision::ineligible) == "ineligible");
  CHECK_FALSE(prosecutorDecisionFromString("Eligible").has_value());
  CHECK_FALSE(prosecutorDecisionFromString("").has_value());
  CHECK_FALSE(prosecutorDecisionFromString("eligible ").has_value());
}
