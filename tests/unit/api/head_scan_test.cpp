#include <catch2/catch.hpp>

#include "api/head_scan.h"

using parcours::api::headEnd;
using parcours::api::onlyBlankLines;

TEST_CASE("a head ends at its blank line, not before", "[http]") {
  CHECK_FALSE(headEnd(""));
  CHECK_FALSE(headEnd("GET / HTTP/1.1\r\nHost: x\r\n"));
  CHECK_FALSE(headEnd("GET / HTTP/1.1\r\nHost: x\r\n\r"));
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  CHECK(headEnd(head) == head.size());
  CHECK(headEnd(head + "{\"body\":1}") == head.size());
  CHECK(headEnd("GET / HTTP/1.0\n\n") == 16);
}

TEST_CASE("blank lines before a request line do not make a head", "[http]") {
  CHECK_FALSE(headEnd("\r\n\r\n"));
  CHECK_FALSE(headEnd("\r\n\r\nGET / HTTP/1.1\r\n"));
  CHECK(headEnd("\r\nGET / HTTP/1.1\r\n\r\n") == 20);
  CHECK(onlyBlankLines("\r\n\r\n"));
  CHECK(onlyBlankLines(""));
  CHECK_FALSE(onlyBlankLines("\r\nG"));
}
