#pragma once
// RFC 5545 rendering of a practitioner's sessions: UTC times (no VTIMEZONE
// needed), stable UIDs, SEQUENCE bumped on every change, cancelled sessions
// as STATUS:CANCELLED, the participant's code — never a name — in SUMMARY.

#include <string>
#include <vector>

#include "scheduler/session.h"

namespace parcours::scheduler {

// `calendarName` is shown by calendar clients (no personal data).
std::string renderICalendar(const std::vector<SessionView>& sessions, const std::string& calendarName);

}  // namespace parcours::scheduler
