#pragma once
// The status of a session and who cancelled it, as values. JSON and SQL
// carry them as the strings below (unchanged since the first schema); the
// strings are read and written only at those edges.

#include <optional>
#include <string_view>

namespace parcours::scheduler {

enum class SessionStatus { scheduled, attended, no_show, excused, cancelled, late_cancelled };
std::string_view toString(SessionStatus status);
std::optional<SessionStatus> sessionStatusFromString(std::string_view text);

// Whether a session in this status holds its time (everything but the two
// cancellations): it blocks the slot for both people.
bool holdsTime(SessionStatus status);

enum class CancelledBy { participant, practitioner, program };
std::string_view toString(CancelledBy by);
std::optional<CancelledBy> cancelledByFromString(std::string_view text);

}  // namespace parcours::scheduler
