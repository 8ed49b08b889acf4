#include "api/json.h"

#include <limits>
#include <sstream>

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;

Poco::Dynamic::Var parseJson(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(body);
  } catch (const Poco::Exception&) {
    throw Error(ErrorCode::bad_request, "request body is not valid JSON");
  }
}

bool isJsonContentType(const std::string& contentType) {
  const std::string type = contentType.substr(0, contentType.find(';'));
  return type == "application/json" || (type.starts_with("application/") && type.ends_with("+json"));
}

Poco::JSON::Object::Ptr parseJsonObject(const std::string& body) {
  if (body.empty()) throw Error(ErrorCode::bad_request, "request body must be a JSON object");
  const Poco::Dynamic::Var parsed = parseJson(body);
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw Error(ErrorCode::bad_request, "request body must be a JSON object");
  }
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

namespace {

[[noreturn]] void wrongType(const std::string& field, const char* expected) {
  throw Error(ErrorCode::bad_request, std::string("must be ") + expected, field);
}

std::optional<Poco::Dynamic::Var> present(const Poco::JSON::Object& object, const std::string& field) {
  if (!object.has(field)) return std::nullopt;
  Poco::Dynamic::Var value = object.get(field);
  if (value.isEmpty()) return std::nullopt;  // JSON null counts as absent
  return value;
}

std::int64_t asInt64(const Poco::Dynamic::Var& value, const std::string& field) {
  // Poco keeps integers as Int64/UInt64 (or smaller) and anything with a
  // fraction or exponent as double: refuse the double outright.
  if (!value.isInteger() || value.isString() || value.isBoolean()) wrongType(field, "a whole number");
  if (!value.isSigned()) {
    const auto unsignedValue = value.convert<std::uint64_t>();
    if (unsignedValue > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      wrongType(field, "a whole number within range");
    }
    return static_cast<std::int64_t>(unsignedValue);
  }
  return value.convert<std::int64_t>();
}

}  // namespace

std::string requireString(const Poco::JSON::Object& object, const std::string& field) {
  auto value = optionalString(object, field);
  if (!value) throw Error(ErrorCode::bad_request, "is required", field);
  return *value;
}

std::optional<std::string> optionalString(const Poco::JSON::Object& object, const std::string& field) {
  const auto value = present(object, field);
  if (!value) return std::nullopt;
  if (!value->isString()) wrongType(field, "a string");
  return value->extract<std::string>();
}

std::int64_t requireInt64(const Poco::JSON::Object& object, const std::string& field) {
  auto value = optionalInt64(object, field);
  if (!value) throw Error(ErrorCode::bad_request, "is required", field);
  return *value;
}

std::optional<std::int64_t> optionalInt64(const Poco::JSON::Object& object, const std::string& field) {
  const auto value = present(object, field);
  if (!value) return std::nullopt;
  return asInt64(*value, field);
}

std::int64_t checkRange(std::int64_t value, const std::string& field, std::int64_t min, std::int64_t max) {
  if (value < min || value > max) {
    throw Error(ErrorCode::unprocessable, "must be " + std::to_string(min) + " to " + std::to_string(max), field);
  }
  return value;
}

std::int64_t requireIntIn(const Poco::JSON::Object& object, const std::string& field, std::int64_t min,
                          std::int64_t max) {
  return checkRange(requireInt64(object, field), field, min, max);
}

std::optional<std::int64_t> optionalIntIn(const Poco::JSON::Object& object, const std::string& field,
                                          std::int64_t min, std::int64_t max) {
  const auto value = optionalInt64(object, field);
  if (!value) return std::nullopt;
  return checkRange(*value, field, min, max);
}

bool requireBool(const Poco::JSON::Object& object, const std::string& field) {
  auto value = optionalBool(object, field);
  if (!value) throw Error(ErrorCode::bad_request, "is required", field);
  return *value;
}

std::optional<bool> optionalBool(const Poco::JSON::Object& object, const std::string& field) {
  const auto value = present(object, field);
  if (!value) return std::nullopt;
  if (!value->isBoolean()) wrongType(field, "true or false");
  return value->extract<bool>();
}

std::string toJson(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string toJson(const Poco::JSON::Array& array) {
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

}  // namespace parcours::api
