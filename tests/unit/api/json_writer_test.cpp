#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include "api/json_writer.h"

using parcours::api::JsonWriter;
using parcours::api::pageResponse;
using parcours::api::statusResponse;
namespace core = parcours::core;

TEST_CASE("the writer places separators and nests containers", "[json-writer]") {
  JsonWriter w;
  w.beginObject().key("items").beginArray();
  w.beginObject().field("date", "2027-03-29").field("n", 3).endObject();
  w.beginObject().field("ok", true).field("none", std::optional<std::string>{}).endObject();
  w.endArray().field("next_cursor", std::optional<std::string>{"12"}).key("empty").beginArray().endArray();
  w.key("nested").raw(R"({"a":1})").endObject();
  CHECK(
      w.take() ==
      R"({"items":[{"date":"2027-03-29","n":3},{"ok":true,"none":null}],"next_cursor":"12","empty":[],"nested":{"a":1}})");
}

TEST_CASE("strings are escaped and stay UTF-8", "[json-writer]") {
  JsonWriter w;
  w.beginArray()
      .value("Lundi de Pâques « n° »")
      .value("a\"b\\c\nd\te\x01")
      .value(std::int64_t{-9007199254740993})
      .endArray();
  const std::string text = w.take();
  CHECK(text == "[\"Lundi de Pâques « n° »\",\"a\\\"b\\\\c\\nd\\te\\u0001\",-9007199254740993]");
  // A real parser reads back what was written.
  Poco::JSON::Parser parser;
  const auto array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
  CHECK(array->getElement<std::string>(1) == "a\"b\\c\nd\te\x01");
}

TEST_CASE("ids are written as decimal strings, absent ones as null", "[json-writer]") {
  JsonWriter w;
  w.beginObject()
      .field("id", core::ParticipantId(42))
      .field("user", std::optional<core::UserId>(core::UserId(7)))
      .field("practitioner", std::optional<core::PractitionerId>())
      .endObject();
  CHECK(w.take() == R"({"id":"42","user":"7","practitioner":null})");
  CHECK(core::optionalId<core::UserId>(std::optional<std::int64_t>(5)) == std::optional(core::UserId(5)));
  CHECK_FALSE(core::optionalId<core::UserId>(std::nullopt).has_value());
}

TEST_CASE("a list page points at its last id only when it is full", "[json-writer]") {
  const std::vector<core::TokenId> ids{core::TokenId(3), core::TokenId(8)};
  const auto write = [](JsonWriter& w, core::TokenId id) { w.value(id); };
  const auto idOf = [](core::TokenId id) { return id.value(); };
  CHECK(pageResponse(ids, 2, write, idOf).body == R"({"items":["3","8"],"next_cursor":"8"})");
  CHECK(pageResponse(ids, 3, write, idOf).body == R"({"items":["3","8"],"next_cursor":null})");
  CHECK(pageResponse(std::vector<core::TokenId>{}, 2, write, idOf).body == R"({"items":[],"next_cursor":null})");
  CHECK(statusResponse("revoked").body == R"({"status":"revoked"})");
}
