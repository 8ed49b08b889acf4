#include "scheduler/session_status.h"

#include <array>

namespace parcours::scheduler {

namespace {
constexpr std::array kStatuses{SessionStatus::scheduled, SessionStatus::attended,  SessionStatus::no_show,
                               SessionStatus::excused,   SessionStatus::cancelled, SessionStatus::late_cancelled};
constexpr std::array kCancellers{CancelledBy::participant, CancelledBy::practitioner, CancelledBy::program};
}  // namespace

std::string_view toString(SessionStatus status) {
  switch (status) {
    case SessionStatus::scheduled: return "scheduled";
    case SessionStatus::attended: return "attended";
    case SessionStatus::no_show: return "no_show";
    case SessionStatus::excused: return "excused";
    case SessionStatus::cancelled: return "cancelled";
    case SessionStatus::late_cancelled: return "late_cancelled";
  }
  return "scheduled";
}

std::optional<SessionStatus> sessionStatusFromString(std::string_view text) {
  for (const auto status : kStatuses) {
    if (toString(status) == text) return status;
  }
  return std::nullopt;
}

bool holdsTime(SessionStatus status) {
  return status != SessionStatus::cancelled && status != SessionStatus::late_cancelled;
}

std::string_view toString(CancelledBy by) {
  switch (by) {
    case CancelledBy::participant: return "participant";
    case CancelledBy::practitioner: return "practitioner";
    case CancelledBy::program: return "program";
  }
  return "program";
}

std::optional<CancelledBy> cancelledByFromString(std::string_view text) {
  for (const auto by : kCancellers) {
    if (toString(by) == text) return by;
  }
  return std::nullopt;
}

}  // namespace parcours::scheduler
