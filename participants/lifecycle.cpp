#include "participants/lifecycle.h"

#include <array>
#include <string>

#include "core/error.h"

namespace parcours::participants {

namespace {

constexpr std::array kStatuses{Status::referred,   Status::eligible,  Status::ineligible, Status::enrolled,
                               Status::in_therapy, Status::completed, Status::withdrawn};

// Completes "cannot … a participant who is <status>".
std::string_view verb(Transition transition) noexcept {
  switch (transition) {
    case Transition::decide_eligible: return "declare eligible";
    case Transition::decide_ineligible: return "declare ineligible";
    case Transition::enrol: return "enrol";
    case Transition::start_therapy: return "start the therapy of";
    case Transition::complete: return "complete the program of";
    case Transition::withdraw: return "withdraw";
  }
  return "change";
}

}  // namespace

std::string_view toString(Status status) noexcept {
  switch (status) {
    case Status::referred: return "referred";
    case Status::eligible: return "eligible";
    case Status::ineligible: return "ineligible";
    case Status::enrolled: return "enrolled";
    case Status::in_therapy: return "in_therapy";
    case Status::completed: return "completed";
    case Status::withdrawn: return "withdrawn";
  }
  return "unknown";
}

std::optional<Status> statusFromString(std::string_view text) noexcept {
  for (const Status status : kStatuses) {
    if (toString(status) == text) return status;
  }
  return std::nullopt;
}

bool isFinal(Status status) noexcept {
  return status == Status::ineligible || status == Status::completed || status == Status::withdrawn;
}

std::string_view toString(Transition transition) noexcept {
  switch (transition) {
    case Transition::decide_eligible: return "decide_eligible";
    case Transition::decide_ineligible: return "decide_ineligible";
    case Transition::enrol: return "enrol";
    case Transition::start_therapy: return "start_therapy";
    case Transition::complete: return "complete";
    case Transition::withdraw: return "withdraw";
  }
  return "unknown";
}

std::optional<Status> nextStatus(Status current, Transition transition) noexcept {
  switch (transition) {
    // Eligibility is decided once, from `referred`: a decision is recorded
    // with who entered it, and changing it afterwards would be a correction
    // (withdraw, or an administrative fix), not a second decision.
    case Transition::decide_eligible:
      if (current == Status::referred) return Status::eligible;
      break;
    case Transition::decide_ineligible:
      if (current == Status::referred) return Status::ineligible;
      break;
    case Transition::enrol:
      if (current == Status::eligible) return Status::enrolled;
      break;
    case Transition::start_therapy:
      if (current == Status::enrolled) return Status::in_therapy;
      break;
    // Completion is reachable only from `in_therapy`, not from `enrolled`:
    // the program includes one to eight weeks of individual therapy and the
    // completion criteria require every session of the plan, so a participant
    // without a placed plan (still `enrolled`) cannot have completed it.
    case Transition::complete:
      if (current == Status::in_therapy) return Status::completed;
      break;
    case Transition::withdraw:
      if (!isFinal(current)) return Status::withdrawn;
      break;
  }
  return std::nullopt;
}

Status apply(Status current, Transition transition) {
  if (const auto next = nextStatus(current, transition)) return *next;
  const std::string_view status = toString(current);
  throw core::Error(core::ErrorCode::conflict,
                    "cannot " + std::string(verb(transition)) + " a participant who is " + std::string(status))
      .withMember("current_status", core::jsonQuote(status));
}

}  // namespace parcours::participants
