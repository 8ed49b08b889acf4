#include <catch2/catch.hpp>

#include "api/page_session.h"

using namespace parcours::api;

TEST_CASE("the session cookie is found among others", "[pages]") {
  CHECK(cookieValue("parcours_session=pcs_abc", kSessionCookie) == "pcs_abc");
  CHECK(cookieValue("a=1; parcours_session=pcs_x; b=2", kSessionCookie) == "pcs_x");
  CHECK(cookieValue("a=1;parcours_session= pcs_y ;b=2", kSessionCookie) == "pcs_y");
  CHECK(cookieValue("parcours_session=first; parcours_session=second", kSessionCookie) == "first");
  CHECK_FALSE(cookieValue("", kSessionCookie));
  CHECK_FALSE(cookieValue("xparcours_session=1; parcours_sessionx=2", kSessionCookie));
  CHECK_FALSE(cookieValue("parcours_session=", kSessionCookie));
  CHECK_FALSE(cookieValue("parcours_session; other=1", kSessionCookie));
}

TEST_CASE("the CSRF token belongs to one session and compares exactly", "[pages]") {
  const std::string token = csrfTokenFor("pcs_secret-one");
  CHECK(token.size() == 64);
  CHECK(token == csrfTokenFor("pcs_secret-one"));
  CHECK(token != csrfTokenFor("pcs_secret-two"));
  CHECK(csrfMatches("pcs_secret-one", token));
  CHECK_FALSE(csrfMatches("pcs_secret-two", token));
  CHECK_FALSE(csrfMatches("pcs_secret-one", ""));
  CHECK_FALSE(csrfMatches("pcs_secret-one", token.substr(0, 63)));
  CHECK_FALSE(csrfMatches("pcs_secret-one", token + "0"));
  std::string flipped = token;
  flipped[63] = flipped[63] == '0' ? '1' : '0';
  CHECK_FALSE(csrfMatches("pcs_secret-one", flipped));
}

TEST_CASE("only GET and HEAD go without a CSRF token", "[pages]") {
  CHECK(csrfExempt("GET"));
  CHECK(csrfExempt("HEAD"));
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get"}) {
    INFO(method);
    CHECK_FALSE(csrfExempt(method));
  }
}

TEST_CASE("the session cookie's attributes", "[pages]") {
  const std::string plain = sessionCookie("pcs_s", std::chrono::hours(12), false);
  CHECK(plain == "parcours_session=pcs_s; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  const std::string secure = sessionCookie("pcs_s", std::chrono::seconds(60), true);
  CHECK(secure == "parcours_session=pcs_s; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=60");
  CHECK(clearedSessionCookie(false) == "parcours_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  CHECK(clearedSessionCookie(true).find("; Secure") != std::string::npos);
}
