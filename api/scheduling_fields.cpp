#include "api/scheduling_fields.h"

#include "api/json.h"
#include "api/request_fields.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;

date::weekday weekdayField(const std::string& text, const std::string& field) {
  static const std::pair<const char*, unsigned> kDays[] = {{"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4},
                                                           {"fri", 5}, {"sat", 6}, {"sun", 0}};
  for (const auto& [name, value] : kDays) {
    if (text == name) return date::weekday{value};
  }
  throw Error(ErrorCode::unprocessable, "must be mon, tue, wed, thu, fri, sat or sun", field);
}

std::string weekdayName(date::weekday day) {
  static const char* kNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  return kNames[day.c_encoding()];
}

core::LocalTime timeField(const Poco::JSON::Object& body, const std::string& field, const std::string& name) {
  const std::string text = requireString(body, field);
  return parsed(name, [&] { return core::parseLocalTime(text); });
}

std::optional<int> minutesField(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = optionalIntIn(body, field, 30, 120);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);  // within 30..120
}

}  // namespace parcours::api
