#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "identity/login_throttle.h"

using namespace parcours;
using parcours::testing::ManualClock;

TEST_CASE("a key is locked after the maximum failures, for the lockout", "[throttle]") {
  ManualClock clock;
  identity::LoginThrottle throttle(
      clock, {.maxFailures = 3, .window = std::chrono::seconds(60), .lockout = std::chrono::seconds(300)});
  for (int i = 0; i < 2; ++i) throttle.recordFailure("account:a");
  CHECK_FALSE(throttle.retryAfter("account:a"));
  throttle.recordFailure("account:a");
  REQUIRE(throttle.retryAfter("account:a"));
  CHECK(throttle.retryAfter("account:a")->count() == 300);
  CHECK_FALSE(throttle.retryAfter("account:b"));  // other keys are not affected
  clock.advance(std::chrono::seconds(299));
  CHECK(throttle.retryAfter("account:a")->count() == 1);
  clock.advance(std::chrono::seconds(1));
  CHECK_FALSE(throttle.retryAfter("account:a"));
}

TEST_CASE("failures older than the window are forgotten; success clears", "[throttle]") {
  ManualClock clock;
  identity::LoginThrottle throttle(
      clock, {.maxFailures = 3, .window = std::chrono::seconds(60), .lockout = std::chrono::seconds(300)});
  throttle.recordFailure("k");
  throttle.recordFailure("k");
  clock.advance(std::chrono::seconds(61));
  throttle.recordFailure("k");
  CHECK_FALSE(throttle.retryAfter("k"));
  throttle.recordFailure("k");
  throttle.recordSuccess("k");
  throttle.recordFailure("k");
  CHECK_FALSE(throttle.retryAfter("k"));
}

TEST_CASE("the number of remembered keys is bounded", "[throttle]") {
  ManualClock clock;
  identity::LoginThrottle throttle(
      clock,
      {.maxFailures = 1, .window = std::chrono::seconds(60), .lockout = std::chrono::seconds(300), .maxKeys = 10});
  for (int i = 0; i < 100; ++i) throttle.recordFailure("client:" + std::to_string(i));
  CHECK(throttle.retryAfter("client:99"));
  CHECK_FALSE(throttle.retryAfter("client:0"));  // forgotten first
}
