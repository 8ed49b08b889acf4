#include "core/error.h"

#include <catch2/catch.hpp>

using parcours::core::Error;
using parcours::core::ErrorCode;
using parcours::core::errorSlug;
using parcours::core::errorTitle;
using parcours::core::httpStatus;
using parcours::core::jsonQuote;

TEST_CASE("httpStatus maps every ErrorCode", "[error]") {
  CHECK(httpStatus(ErrorCode::bad_request) == 400);
  CHECK(httpStatus(ErrorCode::unauthorized) == 401);
  CHECK(httpStatus(ErrorCode::forbidden) == 403);
  CHECK(httpStatus(ErrorCode::not_found) == 404);
  CHECK(httpStatus(ErrorCode::method_not_allowed) == 405);
  CHECK(httpStatus(ErrorCode::conflict) == 409);
  CHECK(httpStatus(ErrorCode::payload_too_large) == 413);
  CHECK(httpStatus(ErrorCode::unprocessable) == 422);
  CHECK(httpStatus(ErrorCode::too_many_requests) == 429);
  CHECK(httpStatus(ErrorCode::unavailable) == 503);
  CHECK(httpStatus(ErrorCode::internal) == 500);
}

TEST_CASE("errorTitle and errorSlug", "[error]") {
  CHECK(errorTitle(ErrorCode::conflict) == "Conflict");
  CHECK(errorSlug(ErrorCode::conflict) == "conflict");
  CHECK(errorSlug(ErrorCode::bad_request) == "bad-request");
  CHECK(errorTitle(ErrorCode::internal) == "Internal Server Error");
}

TEST_CASE("Error carries code, message and field errors", "[error]") {
  Error e(ErrorCode::unprocessable, "bad amount", "amount");
  CHECK(e.code() == ErrorCode::unprocessable);
  CHECK(std::string(e.what()) == "bad amount");
  REQUIRE(e.fieldErrors().size() == 1);
  CHECK(e.fieldErrors()[0].field == "amount");
  CHECK(e.fieldErrors()[0].message == "bad amount");

  e.addFieldError("currency", "unknown").withMember("current_status", jsonQuote("paid"));
  REQUIRE(e.fieldErrors().size() == 2);
  CHECK(e.fieldErrors()[1].field == "currency");
  CHECK(e.members().at("current_status") == "\"paid\"");

  const Error noField(ErrorCode::conflict, "taken");
  CHECK(noField.fieldErrors().empty());
}

TEST_CASE("jsonQuote escapes JSON string content", "[error]") {
  CHECK(jsonQuote("") == "\"\"");
  CHECK(jsonQuote("plain") == "\"plain\"");
  CHECK(jsonQuote("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(jsonQuote("a\\b") == "\"a\\\\b\"");
  CHECK(jsonQuote("l1\nl2\r\t") == "\"l1\\nl2\\r\\t\"");
  CHECK(jsonQuote(std::string_view("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
  CHECK(jsonQuote(std::string_view("a\0b", 3)) == "\"a\\u0000b\"");
  // UTF-8 passes through byte for byte (é, no-break space, emoji).
  CHECK(jsonQuote("Montr\xC3\xA9"
                  "al\xC2\xA0\xF0\x9F\x99\x82") ==
        "\"Montr\xC3\xA9"
        "al\xC2\xA0\xF0\x9F\x99\x82\"");
}
