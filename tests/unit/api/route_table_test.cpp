#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "api/route_table.h"

using namespace parcours;
using identity::Role;

namespace {

struct Counter {
  int calls = 0;
};

api::Response count(api::RouteContext<Counter>& route, api::Request&) {
  ++route.services().calls;
  return api::Response::json(200, "{}");
}

api::Response needsTransaction(api::RouteContext<Counter>& route, api::Request&) {
  route.tx();  // throws: not an idempotent route
  return api::Response::json(200, "{}");
}

api::AccessResolver noOne() {
  return {[](std::string_view) { return std::optional<identity::Principal>(); }, {}, {}, {}};
}

}  // namespace

TEST_CASE("a route table registers each named function with its method, pattern and guard", "[route_table]") {
  api::Router router;
  Counter counter;
  const auto resolver = noOne();
  api::addRoutes<Counter>(router, counter, resolver, nullptr,
                          {
                              {"GET", "/open", count, api::anyone()},
                              {"POST", "/things/{id}", count, api::roles({Role::admin})},
                          });
  REQUIRE(router.routes().size() == 2);
  CHECK(router.routes()[0].method == "GET");
  CHECK(router.routes()[0].pattern == "/open");
  CHECK_FALSE(router.routes()[0].guard);  // anyone: no guard
  REQUIRE(router.routes()[1].guard);

  api::Request request;
  CHECK(router.routes()[0].handler(request).status == 200);
  CHECK(counter.calls == 1);
  // The declared access is enforced by the route's guard: no token → 401.
  try {
    router.routes()[1].guard(request);
    FAIL("the guard let an anonymous caller through");
  } catch (const core::Error& e) {
    CHECK(e.code() == core::ErrorCode::unauthorized);
  }
}

TEST_CASE("a route that is not idempotent has no transaction of its own", "[route_table]") {
  api::Router router;
  Counter counter;
  const auto resolver = noOne();
  api::addRoutes<Counter>(router, counter, resolver, nullptr, {{"GET", "/tx", needsTransaction, api::anyone()}});
  api::Request request;
  CHECK_THROWS_AS(router.routes()[0].handler(request), core::Error);
}

TEST_CASE("an idempotent route needs the idempotency wrapper at registration", "[route_table]") {
  api::Router router;
  Counter counter;
  const auto resolver = noOne();
  CHECK_THROWS_AS(api::addRoutes<Counter>(router, counter, resolver, nullptr,
                                          {{"POST", "/pay", count, api::anyone(), api::Idempotency::required}}),
                  std::logic_error);
  CHECK(router.routes().empty());
}

namespace {

struct Woken {
  int calls = 0;
  int wakes = 0;
  int callsAtWake = -1;
};

api::Response answer(api::RouteContext<Woken>& route, api::Request&) {
  ++route.services().calls;
  return api::Response::json(202, "{}");
}

api::Response refuse(api::RouteContext<Woken>& route, api::Request&) {
  ++route.services().calls;
  throw core::Error(core::ErrorCode::unprocessable, "no");
}

void wake(Woken& woken) {
  ++woken.wakes;
  woken.callsAtWake = woken.calls;
}

}  // namespace

TEST_CASE("a route's afterCommit step runs once its function has answered, and not after a refusal", "[route_table]") {
  api::Router router;
  Woken woken;
  const auto resolver = noOne();
  api::addRoutes<Woken>(router, woken, resolver, nullptr,
                        {
                            {"POST", "/send", answer, api::anyone(), api::Idempotency::none, nullptr, wake},
                            {"POST", "/refused", refuse, api::anyone(), api::Idempotency::none, nullptr, wake},
                            {"POST", "/plain", answer, api::anyone()},
                        });
  api::Request request;
  CHECK(router.routes()[0].handler(request).status == 202);
  CHECK(woken.wakes == 1);
  CHECK(woken.callsAtWake == 1);  // after the function, not before
  CHECK_THROWS_AS(router.routes()[1].handler(request), core::Error);
  CHECK(woken.wakes == 1);
  CHECK(router.routes()[2].handler(request).status == 202);
  CHECK(woken.wakes == 1);
}

namespace {
struct Steps {
  std::vector<std::string> seen;
};

void prepareStep(api::RouteContext<Steps>& route, api::Request&) {
  route.services().seen.push_back("prepare");
  CHECK_THROWS_AS(route.tx(), core::Error);  // outside any transaction
}

void refuseStep(api::RouteContext<Steps>&, api::Request&) {
  throw core::Error(core::ErrorCode::not_found, "no such thing");
}

api::Response functionStep(api::RouteContext<Steps>& route, api::Request&) {
  route.services().seen.push_back("function");
  return api::Response::json(200, "{}");
}
}  // namespace

TEST_CASE("a route's prepare runs before its function, outside any transaction, and may refuse", "[route_table]") {
  api::Router router;
  Steps steps;
  const auto resolver = noOne();
  api::addRoutes<Steps>(router, steps, resolver, nullptr,
                        {
                            {"POST", "/book", functionStep, api::anyone(), api::Idempotency::none, prepareStep},
                            {"POST", "/refused", functionStep, api::anyone(), api::Idempotency::none, refuseStep},
                        });
  api::Request request;
  CHECK(router.routes()[0].handler(request).status == 200);
  CHECK(steps.seen == std::vector<std::string>{"prepare", "function"});
  steps.seen.clear();
  CHECK_THROWS_AS(router.routes()[1].handler(request), core::Error);
  CHECK(steps.seen.empty());
}
