#include "api/request_fields.h"

#include <charconv>

#include "api/json.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;

std::optional<std::int64_t> positiveId(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

core::LocalDate dateField(const Poco::JSON::Object& body, const std::string& field) {
  const std::string text = requireString(body, field);
  try {
    return core::parseDate(text);
  } catch (const Error& e) {
    throw Error(e.code(), e.what(), field);  // a malformed date is a malformed request: 400
  }
}

core::LocalDate dateQuery(const Request& request, const std::string& name) {
  const auto value = optionalDateQuery(request, name);
  if (!value) throw Error(ErrorCode::bad_request, "is required", name);
  return *value;
}

std::optional<core::LocalDate> optionalDateQuery(const Request& request, const std::string& name) {
  const auto text = request.queryValue(name);
  if (!text) return std::nullopt;
  try {
    return core::parseDate(*text);
  } catch (const Error&) {
    throw Error(ErrorCode::bad_request, "must be a date YYYY-MM-DD", name);
  }
}

std::int64_t idField(const Poco::JSON::Object& body, const std::string& field) {
  const auto id = positiveId(requireString(body, field));
  if (!id) throw Error(ErrorCode::unprocessable, "unknown id", field);
  return *id;
}

std::optional<std::int64_t> intQuery(const Request& request, const std::string& name, std::int64_t min,
                                     std::int64_t max) {
  const auto text = request.queryValue(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    throw Error(ErrorCode::bad_request,
                "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max), name);
  }
  return value;
}

std::optional<std::int64_t> idQuery(const Request& request, const std::string& name) {
  const auto text = request.queryValue(name);
  if (!text) return std::nullopt;
  const auto id = positiveId(*text);
  if (!id) throw Error(ErrorCode::bad_request, "must be an id", name);
  return id;
}

}  // namespace parcours::api
