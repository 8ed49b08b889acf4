#include <catch2/catch.hpp>

#include "api/json.h"
#include "api/problem.h"
#include "core/error.h"

using namespace parcours;
using core::ErrorCode;

namespace {
ErrorCode codeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.code();
  }
  return ErrorCode::internal;
}
std::string fieldOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.fieldErrors().empty() ? "" : e.fieldErrors().front().field;
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("request bodies must be one well-formed JSON object", "[json]") {
  CHECK(codeOf([] { api::parseJsonObject(""); }) == ErrorCode::bad_request);
  CHECK(codeOf([] { api::parseJsonObject("{\"a\": "); }) == ErrorCode::bad_request);
  CHECK(codeOf([] { api::parseJsonObject("[1,2]"); }) == ErrorCode::bad_request);
  CHECK(codeOf([] { api::parseJsonObject("\"text\""); }) == ErrorCode::bad_request);
  CHECK(api::parseJsonObject(R"({"a":1})")->has("a"));
}

TEST_CASE("typed readers refuse the wrong JSON type and name the field", "[json]") {
  const auto object = api::parseJsonObject(
      R"({"cents": 50000, "float": 123.45, "text": "12", "flag": true, "big": 18446744073709551615,
          "neg": -5, "nul": null, "name": "Éloïse"})");
  CHECK(api::requireInt64(*object, "cents") == 50000);
  CHECK(api::requireInt64(*object, "neg") == -5);
  CHECK(codeOf([&] { api::requireInt64(*object, "float"); }) == ErrorCode::bad_request);
  CHECK(fieldOf([&] { api::requireInt64(*object, "float"); }) == "float");
  CHECK(codeOf([&] { api::requireInt64(*object, "text"); }) == ErrorCode::bad_request);
  CHECK(codeOf([&] { api::requireInt64(*object, "flag"); }) == ErrorCode::bad_request);
  CHECK(codeOf([&] { api::requireInt64(*object, "big"); }) == ErrorCode::bad_request);
  CHECK(codeOf([&] { api::requireInt64(*object, "missing"); }) == ErrorCode::bad_request);
  CHECK(fieldOf([&] { api::requireInt64(*object, "missing"); }) == "missing");
  CHECK_FALSE(api::optionalInt64(*object, "nul").has_value());
  CHECK(api::requireString(*object, "name") == "Éloïse");
  CHECK(codeOf([&] { api::requireString(*object, "cents"); }) == ErrorCode::bad_request);
  CHECK(api::requireBool(*object, "flag"));
  CHECK(codeOf([&] { api::requireBool(*object, "text"); }) == ErrorCode::bad_request);
}

TEST_CASE("JSON content types are recognised", "[json]") {
  CHECK(api::isJsonContentType("application/json"));
  CHECK(api::isJsonContentType("application/json; charset=utf-8"));
  CHECK(api::isJsonContentType("application/merge-patch+json"));
  CHECK_FALSE(api::isJsonContentType("text/csv"));
  CHECK_FALSE(api::isJsonContentType(""));
}

TEST_CASE("problem+json carries status, title, detail, field errors and members", "[problem]") {
  core::Error error(ErrorCode::conflict, "the slot is taken", "start");
  error.withMember("current_status", core::jsonQuote("enrolled"));
  const api::Response response = api::problemResponse(error);
  CHECK(response.status == 409);
  CHECK(response.contentType == "application/problem+json");
  const auto body = api::parseJsonObject(response.body);
  CHECK(body->getValue<std::string>("type") == "/problems/conflict");
  CHECK(body->getValue<std::string>("title") == "Conflict");
  CHECK(body->getValue<int>("status") == 409);
  CHECK(body->getValue<std::string>("detail") == "the slot is taken");
  const auto errors = body->getArray("errors");
  REQUIRE(errors->size() == 1);
  CHECK(errors->getObject(0)->getValue<std::string>("field") == "start");
  CHECK(body->getValue<std::string>("current_status") == "enrolled");
}

TEST_CASE("bounded integers are checked on the 64-bit value before any narrowing", "[json]") {
  const auto object = api::parseJsonObject(
      R"({"wrap": 4294967299, "neg": -1, "exp": 1e3, "text": "3", "ok": 3, "huge": 18446744073709551615,
          "low": -9223372036854775808, "nul": null})");
  // 4294967299 narrowed to 32 bits would be 3, inside 1..8: it must be refused as it is.
  CHECK(codeOf([&] { api::requireIntIn(*object, "wrap", 1, 8); }) == ErrorCode::unprocessable);
  CHECK(fieldOf([&] { api::requireIntIn(*object, "wrap", 1, 8); }) == "wrap");
  CHECK(codeOf([&] { api::requireIntIn(*object, "neg", 1, 8); }) == ErrorCode::unprocessable);
  CHECK(codeOf([&] { api::requireIntIn(*object, "low", 1, 8); }) == ErrorCode::unprocessable);
  CHECK(codeOf([&] { api::requireIntIn(*object, "huge", 1, 8); }) == ErrorCode::bad_request);
  CHECK(codeOf([&] { api::requireIntIn(*object, "exp", 1, 8000); }) == ErrorCode::bad_request);
  CHECK(codeOf([&] { api::requireIntIn(*object, "text", 1, 8); }) == ErrorCode::bad_request);
  CHECK(codeOf([&] { api::requireIntIn(*object, "missing", 1, 8); }) == ErrorCode::bad_request);
  CHECK(api::requireIntIn(*object, "ok", 1, 8) == 3);
  CHECK(api::requireIntIn(*object, "ok", 3, 3) == 3);
  CHECK_FALSE(api::optionalIntIn(*object, "nul", 1, 8).has_value());
  CHECK_FALSE(api::optionalIntIn(*object, "missing", 1, 8).has_value());
  CHECK(codeOf([&] { api::optionalIntIn(*object, "wrap", 1, 8); }) == ErrorCode::unprocessable);
  CHECK(api::checkRange(500, "limit", 1, 500) == 500);
  CHECK(codeOf([] { api::checkRange(501, "limit", 1, 500); }) == ErrorCode::unprocessable);
  CHECK(codeOf([] { api::checkRange(4294967297LL, "limit", 1, 500); }) == ErrorCode::unprocessable);
}
