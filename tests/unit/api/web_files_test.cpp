#include <catch2/catch.hpp>

#include "api/web_files.h"

using namespace parcours::api;

TEST_CASE("page addresses answer the shell", "[pages]") {
  for (const char* page : {"/", "/week", "/participants", "/participants/12", "/finance", "/finance/bank-lines",
                           "/finance/reports", "/me", "/admin"}) {
    INFO(page);
    CHECK(isPageAddress(page));
  }
  for (const char* other : {"", "/weeks", "/participants/", "/participants/x", "/participants/1/2", "/me/",
                            "/index.html", "/api/v1/users", "/assets/app.js", "//"}) {
    INFO(other);
    CHECK_FALSE(isPageAddress(other));
  }
}

TEST_CASE("asset paths name only plain files under assets", "[pages]") {
  CHECK(assetFile("/assets/app.js") == "assets/app.js");
  CHECK(assetFile("/assets/vendor/fullcalendar-6.1.min.js") == "assets/vendor/fullcalendar-6.1.min.js");
  for (const char* bad : {"/assets/", "/assets", "/assets/../../etc/passwd", "/assets/..", "/assets/./app.js",
                          "/assets/.hidden", "/assets//app.js", "/assets/app.js/", "/assets/a\\..\\b", "/assets/a b.js",
                          "/assets/%2e%2e/x", "/other/app.js", "/assets/\xc3\xa9.js", "/assets/a:b", "/assets/~"}) {
    INFO(bad);
    CHECK_FALSE(assetFile(bad));
  }
  CHECK_FALSE(assetFile(std::string_view("/assets/a\0b", 11)));
}

TEST_CASE("content types by extension", "[pages]") {
  CHECK(contentTypeOf("index.html") == "text/html; charset=utf-8");
  CHECK(contentTypeOf("assets/app.js") == "text/javascript; charset=utf-8");
  CHECK(contentTypeOf("assets/app.css") == "text/css; charset=utf-8");
  CHECK(contentTypeOf("assets/logo.svg") == "image/svg+xml");
  CHECK(contentTypeOf("assets/blob") == "application/octet-stream");
}

TEST_CASE("ETags are strong hashes and If-None-Match finds them", "[pages]") {
  const std::string etag = strongEtag("hello");
  CHECK(etag.size() == 66);
  CHECK(etag.front() == '"');
  CHECK(etag.back() == '"');
  CHECK(etag == strongEtag("hello"));
  CHECK(etag != strongEtag("hello!"));
  CHECK(noneMatchHits(etag, etag));
  CHECK(noneMatchHits("\"other\", " + etag, etag));
  CHECK(noneMatchHits("W/" + etag, etag));
  CHECK(noneMatchHits("*", etag));
  CHECK_FALSE(noneMatchHits("", etag));
  CHECK_FALSE(noneMatchHits("\"other\"", etag));
  CHECK_FALSE(noneMatchHits(etag.substr(1, 64), etag));
}
