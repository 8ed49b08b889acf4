#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>

#include "api/json_writer.h"

using parcours::api::JsonWriter;

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
