#include "finance/markup_scanner.h"

#include <catch2/catch.hpp>

#include "statement_test_support.h"

using namespace parcours::finance;
using namespace parcours::finance::testing;
using Kind = MarkupToken::Kind;

TEST_CASE("tokens carry their lines; comments and doctypes are skipped; CDATA is text") {
  const auto tokens = scanMarkup(
      "<?xml version=\"1.0\"?>\r\n<!-- a\ncomment -->\n<a x='1 &amp; 2'>\r\n  text <![CDATA[<raw>]]>\r<b/></a>");
  REQUIRE(tokens.size() == 6);
  CHECK(tokens[0].kind == Kind::instruction);
  CHECK(tokens[1].kind == Kind::startTag);
  CHECK(tokens[1].line == 4);
  CHECK(tokens[1].attributes.front() == std::pair<std::string, std::string>{"x", "1 & 2"});
  CHECK(tokens[2].kind == Kind::text);
  CHECK(tokens[2].text == "text");
  CHECK(tokens[2].line == 5);
  CHECK(tokens[3].text == "<raw>");
  CHECK(tokens[4].line == 6);
  CHECK(tokens[4].selfClosing);
  CHECK(tokens[5].kind == Kind::endTag);
}

TEST_CASE("entities: the five named ones and numeric ones; others stay as written") {
  CHECK(decodeEntities("&lt;&gt;&amp;&quot;&apos;") == "<>&\"'");
  CHECK(decodeEntities("&#233;&#xE9;&#x1F4B0;") == "\xC3\xA9\xC3\xA9\xF0\x9F\x92\xB0");
  CHECK(decodeEntities("A & B; &nbsp; &#0; &#xD800; &") == "A & B; &nbsp; &#0; &#xD800; &");
  CHECK(decodeEntities(std::string(300000, '&') + ";").size() == 300001);  // stays linear
}

TEST_CASE("a '<' that does not start markup is text") {
  CHECK(scanMarkup("a < b").front().text == "a < b");
}

TEST_CASE("unterminated markup is refused where it starts") {
  CHECK(refusalOf([] { scanMarkup("\n\n<a href=\"x"); }).line == 3);
  CHECK(refusalOf([] { scanMarkup("\n<!-- never"); }).line == 2);
  CHECK(refusalOf([] { scanMarkup("<a"); }).line == 1);
  CHECK(refusalOf([] { scanMarkup("x\n<"); }).line == 2);
}

TEST_CASE("names longer than 64 characters are refused") {
  CHECK(scanMarkup("<" + std::string(64, 'a') + "/>").front().name.size() == 64);
  CHECK(refusalOf([] { scanMarkup("\n<" + std::string(65, 'a') + "/>"); }).line == 2);
  CHECK(refusalOf([] { scanMarkup("<a " + std::string(65, 'b') + "=\"1\"/>"); }).line == 1);
}

TEST_CASE("the XML tree: local names, texts, paths, attributes") {
  const XmlElement root = buildXmlTree(scanMarkup("<p:R><p:A k=\"v\"><B>one</B><B>two</B></p:A>tail</p:R>"));
  CHECK(root.name == "R");
  CHECK(root.text == "tail");
  CHECK(root.textAt("A/B") == "one");
  CHECK(root.find("A/C") == nullptr);
  CHECK(root.child("A")->attribute("k") == "v");
  CHECK(root.children.front().children.size() == 2);
}

TEST_CASE("XML nesting errors name their line") {
  CHECK(refusalOf([] { buildXmlTree(scanMarkup("<a>\n<b>\n</a>")); }).line == 3);
  CHECK(refusalOf([] { buildXmlTree(scanMarkup("<a>\n<b>\n")); }).line == 2);
  CHECK(refusalOf([] { buildXmlTree(scanMarkup("<a/>\n<b/>")); }).line == 2);
  CHECK(refusalOf([] { buildXmlTree(scanMarkup("")); }).line == 1);
  std::string deep;
  for (int i = 0; i < kMaxXmlDepth + 1; ++i) deep += "<a>";
  CHECK(refusalOf([&] { buildXmlTree(scanMarkup(deep)); }).line == 1);
}
