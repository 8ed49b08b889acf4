#include "scheduler/practitioner_rules.h"

#include <algorithm>

#include "core/error.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

namespace {

bool hasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

bool looksLikeEmail(const std::string& email) {
  const auto at = email.find('@');
  return email.size() <= 254 && at != std::string::npos && at != 0 && email.find('.', at) != std::string::npos &&
         !hasControl(email) && email.find(' ') == std::string::npos;
}

bool knownZone(const std::string& zone) {
  try {
    core::findZone(zone);
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

PractitionerView validatePractitioner(const NewPractitioner& in, const std::string& defaultTimeZone) {
  Error errors(ErrorCode::unprocessable, "the practitioner is not valid");
  bool failed = false;
  const auto fail = [&](const std::string& field, const std::string& message) {
    errors.addFieldError(field, message);
    failed = true;
  };
  const std::string name = in.displayName.value_or("");
  if (name.empty() || name.size() > 200 || hasControl(name)) {
    fail("display_name", "1 to 200 bytes, no control characters");
  }
  const std::string discipline = in.discipline.value_or("");
  if (discipline != "sexologist" && discipline != "therapist") fail("discipline", "must be sexologist or therapist");
  const std::string email = in.email.value_or("");
  if (!looksLikeEmail(email)) fail("email", "must be an e-mail address");
  const std::string zone = in.timeZone.value_or(defaultTimeZone);
  if (!knownZone(zone)) fail("time_zone", "unknown IANA time zone");
  const std::int64_t session = in.sessionMinutes.value_or(60);
  if (session < 30 || session > 120 || session % 15 != 0) fail("session_minutes", "30 to 120, a multiple of 15");
  const std::int64_t buffer = in.bufferMinutes.value_or(0);
  if (buffer < 0 || buffer > 120) fail("buffer_minutes", "0 to 120");
  if (failed) throw errors;
  PractitionerView practitioner;
  practitioner.displayName = name;
  practitioner.discipline = discipline;
  practitioner.email = email;
  practitioner.timeZone = zone;
  practitioner.sessionMinutes = static_cast<int>(session);
  practitioner.bufferMinutes = static_cast<int>(buffer);
  return practitioner;
}

}  // namespace parcours::scheduler
