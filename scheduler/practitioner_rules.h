#pragma once
// What makes a practitioner record valid, as a pure function.

#include <cstdint>
#include <optional>
#include <string>

#include "scheduler/practitioner_store.h"

namespace parcours::scheduler {

// A practitioner as asked for: every field optional, so the 422 can name
// each missing or invalid one.
struct NewPractitioner {
  std::optional<std::string> displayName, discipline, email, timeZone;
  std::optional<std::int64_t> sessionMinutes, bufferMinutes;
};

// The practitioner to store (id and createdAt left to the caller): the
// time zone defaults to `defaultTimeZone`, sessions to 60 minutes, the
// buffer to none. Throws one core::Error(unprocessable) naming every
// invalid field: display_name (1 to 200 bytes, no control characters),
// discipline (sexologist or therapist), email, time_zone (an IANA zone),
// session_minutes (30 to 120, a multiple of 15), buffer_minutes (0 to 120).
PractitionerView validatePractitioner(const NewPractitioner& input, const std::string& defaultTimeZone);

}  // namespace parcours::scheduler
