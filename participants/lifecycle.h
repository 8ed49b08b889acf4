#pragma once
// The participant lifecycle of docs/domain.md as a pure state machine:
//
//   referred ──decide_eligible──▶ eligible ──enrol──▶ enrolled ──start_therapy──▶ in_therapy ──complete──▶ completed
//       └────decide_ineligible──▶ ineligible
//   withdraw: referred | eligible | enrolled | in_therapy ──▶ withdrawn
//
// `ineligible`, `completed` and `withdrawn` are final. Callers check the
// business preconditions of a step (a signed commitment, a placed plan, the
// completion criteria) before asking for it; this module only says whether
// the step is allowed from the current status.

#include <optional>
#include <string_view>

namespace parcours::participants {

enum class Status { referred, eligible, ineligible, enrolled, in_therapy, completed, withdrawn };

// The API and storage name: "referred", "in_therapy", ...
std::string_view toString(Status status) noexcept;
// The inverse of toString; nullopt for anything else (exact match, no case folding).
std::optional<Status> statusFromString(std::string_view text) noexcept;
// ineligible, completed and withdrawn: no transition leaves them.
bool isFinal(Status status) noexcept;

enum class Transition {
  decide_eligible,    // referred → eligible (the recorded eligibility decision)
  decide_ineligible,  // referred → ineligible
  enrol,              // eligible → enrolled (commitment signed)
  start_therapy,      // enrolled → in_therapy (first therapy plan placed)
  complete,           // in_therapy → completed
  withdraw,           // any non-final status → withdrawn
};

// "decide_eligible", "enrol", ... (for audit entries and logs).
std::string_view toString(Transition transition) noexcept;

// The status `transition` leads to from `current`, or nullopt when it is not
// allowed.
std::optional<Status> nextStatus(Status current, Transition transition) noexcept;

// The status `transition` leads to from `current`. Throws
// core::Error(conflict, "cannot <verb> a participant who is <status>") with
// the problem member "current_status" when the transition is not allowed.
Status apply(Status current, Transition transition);

}  // namespace parcours::participants
