#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "identity/login_throttle.h"

#include <atomic>
#include <thread>
#include <variant>
#include <vector>

#include "tests/support/on_threads.h"

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

namespace {
// The attempt begin() reserved; fails the test when it was refused.
identity::LoginAttempt admitted(std::variant<identity::LoginAttempt, std::chrono::seconds> answer) {
  REQUIRE(std::holds_alternative<identity::LoginAttempt>(answer));
  return std::move(std::get<identity::LoginAttempt>(answer));
}
bool refused(const std::variant<identity::LoginAttempt, std::chrono::seconds>& answer) {
  return std::holds_alternative<std::chrono::seconds>(answer);
}
}  // namespace

TEST_CASE("attempts in flight count against the limit before they fail", "[throttle]") {
  ManualClock clock;
  identity::LoginThrottle throttle(
      clock, {.maxFailures = 3, .window = std::chrono::seconds(60), .lockout = std::chrono::seconds(300)});
  std::vector<identity::LoginAttempt> inFlight;
  for (int i = 0; i < 3; ++i) inFlight.push_back(admitted(throttle.begin({"account:a", "client:1"})));
  // Three hashes are running: a fourth attempt is refused, on either key.
  CHECK(refused(throttle.begin({"account:a", "client:2"})));
  CHECK(refused(throttle.begin({"account:b", "client:1"})));
  CHECK_FALSE(refused(throttle.begin({"account:b", "client:2"})));  // unsettled: frees its place, counts nothing
  for (auto& attempt : inFlight) attempt.failed();
  const auto locked = throttle.begin({"account:a", "client:3"});
  REQUIRE(refused(locked));
  CHECK(std::get<std::chrono::seconds>(locked).count() == 300);
  clock.advance(std::chrono::seconds(300));
  CHECK_FALSE(refused(throttle.begin({"account:a", "client:3"})));
}

TEST_CASE("an attempt that is not settled (an error) frees its place", "[throttle]") {
  ManualClock clock;
  identity::LoginThrottle throttle(clock, {.maxFailures = 1});
  for (int i = 0; i < 5; ++i) {
    auto attempt = admitted(throttle.begin({"account:a"}));
    CHECK(refused(throttle.begin({"account:a"})));
  }
  CHECK_FALSE(throttle.retryAfter("account:a"));
}

TEST_CASE("success forgives the account but not the client address", "[throttle]") {
  ManualClock clock;
  identity::LoginThrottle throttle(clock, {.maxFailures = 3});
  for (int i = 0; i < 2; ++i) admitted(throttle.begin({"account:a", "client:1"})).failed();
  admitted(throttle.begin({"account:a", "client:1"})).succeeded("account:a");
  admitted(throttle.begin({"account:a", "client:2"})).failed();
  admitted(throttle.begin({"account:a", "client:2"})).failed();
  CHECK_FALSE(refused(throttle.begin({"account:a", "client:2"})));  // the account's count started again
  admitted(throttle.begin({"account:b", "client:1"})).failed();
  CHECK(refused(throttle.begin({"account:c", "client:1"})));  // the address kept its two failures: now three
}

TEST_CASE("40 parallel wrong attempts with a limit of 5: at most 5 get to check a password", "[throttle]") {
  ManualClock clock;
  identity::LoginThrottle throttle(clock, {.maxFailures = 5});
  std::atomic<int> checked{0};
  std::atomic<int> refusedCount{0};
  testing::onThreads(40, [&](int) {
    auto answer = throttle.begin({"account:victim", "client:attacker"});
    if (refused(answer)) {
      ++refusedCount;
      return;
    }
    ++checked;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the password hash
    std::get<identity::LoginAttempt>(answer).failed();
  });
  CHECK(checked.load() <= 5);
  CHECK(checked.load() + refusedCount.load() == 40);
  CHECK(throttle.retryAfter("account:victim"));
}
