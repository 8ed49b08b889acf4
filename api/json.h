#pragma once
// JSON in and out of handlers, on Poco::JSON. Readers are strict: a field of
// the wrong JSON type is a 400 naming the field; numbers that must be whole
// (cents, counts) refuse fractions, floats and strings.

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "api/http_message.h"

namespace parcours::api {

// Parses any JSON document; 400 when malformed.
Poco::Dynamic::Var parseJson(const std::string& body);
// Parses a request body that must be one JSON object; 400 otherwise.
Poco::JSON::Object::Ptr parseJsonObject(const std::string& body);
// True for application/json and application/*+json content types.
bool isJsonContentType(const std::string& contentType);

std::string requireString(const Poco::JSON::Object& object, const std::string& field);
std::optional<std::string> optionalString(const Poco::JSON::Object& object, const std::string& field);
std::int64_t requireInt64(const Poco::JSON::Object& object, const std::string& field);
std::optional<std::int64_t> optionalInt64(const Poco::JSON::Object& object, const std::string& field);
// Bounded whole numbers: the ONE way a handler reads an integer it will
// narrow or range-check. The value is read as 64 bits and checked against
// [min, max] before anything narrows it ("weeks": 4294967299 is out of
// range, never 3): 400 when it is not a JSON integer (a string, a fraction,
// 1e3), 422 naming the field when out of range. The result fits in [min, max].
std::int64_t requireIntIn(const Poco::JSON::Object& object, const std::string& field, std::int64_t min,
                          std::int64_t max);
std::optional<std::int64_t> optionalIntIn(const Poco::JSON::Object& object, const std::string& field,
                                          std::int64_t min, std::int64_t max);
// The same check on a value already read (query strings, defaults): 422
// naming the field when out of range, else the value.
std::int64_t checkRange(std::int64_t value, const std::string& field, std::int64_t min, std::int64_t max);
bool requireBool(const Poco::JSON::Object& object, const std::string& field);
std::optional<bool> optionalBool(const Poco::JSON::Object& object, const std::string& field);

std::string toJson(const Poco::JSON::Object& object);
std::string toJson(const Poco::JSON::Array& array);


}  // namespace parcours::api
