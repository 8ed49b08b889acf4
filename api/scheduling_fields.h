#pragma once
// Request fields shared by the scheduling route files (calendars, plans,
// sessions): weekdays, local times and session lengths, each naming the
// field in its error.

#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "core/time.h"

namespace parcours::api {

// "mon" .. "sun"; 422 naming `field` otherwise.
date::weekday weekdayField(const std::string& text, const std::string& field);
std::string weekdayName(date::weekday day);
// A required "HH:MM" body field `field`, its errors named `name` (422 when malformed).
core::LocalTime timeField(const Poco::JSON::Object& body, const std::string& field, const std::string& name);
// An optional session length in minutes, 30..120.
std::optional<int> minutesField(const Poco::JSON::Object& body, const std::string& field);

}  // namespace parcours::api
