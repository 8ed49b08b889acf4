#include <catch2/catch.hpp>

#include "api/router.h"

using parcours::api::Request;
using parcours::api::Response;
using parcours::api::Router;

namespace {
parcours::api::Handler answer(int status) {
  return [status](Request&) { return Response::json(status, "{}"); };
}
}  // namespace

TEST_CASE("literal and parameter segments match and capture", "[router]") {
  Router router;
  router.add("GET", "/healthz", answer(200));
  router.add("GET", "/api/v1/participants/{id}", answer(201));
  router.add("POST", "/api/v1/participants/{id}/plans", answer(202));
  router.add("GET", "/api/v1/documents/{number}.pdf", answer(203));
  router.add("GET", "/api/v1/documents/{number}", answer(204));

  auto m = router.match("GET", "/api/v1/participants/42");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/api/v1/participants/{id}");
  CHECK(m.params.at("id") == "42");

  m = router.match("POST", "/api/v1/participants/p-7/plans");
  REQUIRE(m.route != nullptr);
  CHECK(m.params.at("id") == "p-7");

  m = router.match("GET", "/api/v1/documents/F-2027-00001.pdf");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/api/v1/documents/{number}.pdf");
  CHECK(m.params.at("number") == "F-2027-00001");

  m = router.match("GET", "/api/v1/documents/F-2027-00001");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/api/v1/documents/{number}");

  CHECK(router.match("GET", "/healthz/").route != nullptr);  // trailing slash folds
}

TEST_CASE("unknown paths match nothing; known paths list their methods", "[router]") {
  Router router;
  router.add("GET", "/healthz", answer(200));
  router.add("GET", "/api/v1/things/{id}", answer(200));
  router.add("DELETE", "/api/v1/things/{id}", answer(204));

  auto m = router.match("GET", "/nope");
  CHECK(m.route == nullptr);
  CHECK(m.allowedMethods.empty());

  m = router.match("GET", "/api/v1/things/1/extra");
  CHECK(m.route == nullptr);
  CHECK(m.allowedMethods.empty());

  m = router.match("POST", "/api/v1/things/1");
  CHECK(m.route == nullptr);
  CHECK(m.allowedMethods == std::vector<std::string>{"GET", "DELETE"});

  // A parameter never matches an empty segment or a bare suffix.
  router.add("GET", "/files/{name}.pdf", answer(200));
  CHECK(router.match("GET", "/files/.pdf").route == nullptr);
  CHECK(router.match("GET", "/files/a.txt").route == nullptr);
}

TEST_CASE("registering the same method and pattern twice is a bug", "[router]") {
  Router router;
  router.add("GET", "/healthz", answer(200));
  CHECK_THROWS_AS(router.add("GET", "/healthz", answer(200)), std::logic_error);
}
