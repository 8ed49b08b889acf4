#pragma once
// Readers of typed request fields shared by the route files: each names the
// field in its error, so a client sees which value was wrong.

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "api/http_message.h"
#include "core/error.h"
#include "core/time.h"

namespace parcours::api {

// Runs `parse`, turning a format error (400) into a 422 naming `field`.
template <class F>
auto parsed(const std::string& field, F&& parse) {
  try {
    return parse();
  } catch (const core::Error& e) {
    throw core::Error(e.code() == core::ErrorCode::bad_request ? core::ErrorCode::unprocessable : e.code(), e.what(),
                      field);
  }
}

// A required "YYYY-MM-DD" body field; 400 when malformed.
core::LocalDate dateField(const Poco::JSON::Object& body, const std::string& field);
// A required ?name=YYYY-MM-DD; 400 when missing or malformed.
core::LocalDate dateQuery(const Request& request, const std::string& name);
// An optional ?name=YYYY-MM-DD; 400 when malformed.
std::optional<core::LocalDate> optionalDateQuery(const Request& request, const std::string& name);
// A string of digits naming a positive 64-bit id; nullopt otherwise.
std::optional<std::int64_t> positiveId(const std::string& text);
// A required id body field (a string of digits); 422 otherwise.
std::int64_t idField(const Poco::JSON::Object& body, const std::string& field);
// An optional ?name= whole number read as 64 bits and checked against
// [min, max] before anything narrows it; 400 when malformed or out of range
// (a query parameter is part of the request's form). See requireIntIn
// (api/json.h) for body fields.
std::optional<std::int64_t> intQuery(const Request& request, const std::string& name, std::int64_t min,
                                     std::int64_t max);
// An optional ?name= id; 400 when not a positive integer.
std::optional<std::int64_t> idQuery(const Request& request, const std::string& name);

}  // namespace parcours::api
