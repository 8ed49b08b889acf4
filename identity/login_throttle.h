#pragma once
// LoginThrottle — counts failed sign-ins per key (an account's e-mail hash,
// a client address) in a sliding window; past the limit the key is locked
// for a while and callers answer 429 with Retry-After. In memory, per
// process: a restart forgets, and each daemon of a cluster counts on its own
// (so an attacker gets at most limit × daemons tries per window).
//
// A password check takes tens of milliseconds, so an attempt is reserved
// (begin) before it and settled after: attempts in flight count against the
// limit like failures, and parallel wrong sign-ins cannot pass the lockout.

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/time.h"

namespace parcours::identity {

struct ThrottleOptions {
  int maxFailures = 5;
  std::chrono::seconds window{std::chrono::minutes(15)};
  std::chrono::seconds lockout{std::chrono::minutes(15)};
  std::size_t maxKeys = 100000;  // memory bound: the oldest keys are forgotten first
};

class LoginThrottle;

// One reserved attempt. Settle it with failed() or succeeded(); destroyed
// unsettled (the check could not be made, e.g. the database is down), it
// frees its place and counts nothing.
class LoginAttempt {
 public:
  LoginAttempt(LoginAttempt&& other) noexcept;
  LoginAttempt& operator=(LoginAttempt&&) = delete;
  LoginAttempt(const LoginAttempt&) = delete;
  LoginAttempt& operator=(const LoginAttempt&) = delete;
  ~LoginAttempt();

  // A wrong password: a failure for every key.
  void failed();
  // Signed in: frees the place of every key and forgets the failures of
  // `forgiven` (the account; never the client address, so that one valid
  // account does not reset an address's count against others).
  void succeeded(const std::string& forgiven);

 private:
  friend class LoginThrottle;
  LoginAttempt(LoginThrottle& throttle, std::vector<std::string> keys);

  LoginThrottle* throttle_;  // null once settled or moved from
  std::vector<std::string> keys_;
};

class LoginThrottle {
 public:
  LoginThrottle(const core::Clock& clock, ThrottleOptions options);

  // Reserves an attempt on all `keys` at once, or → the seconds to wait when
  // any key is locked or has as many failures and attempts in flight as the
  // limit allows.
  std::variant<LoginAttempt, std::chrono::seconds> begin(std::vector<std::string> keys);

  // Seconds to wait when `key` is locked now, nullopt when it may try.
  std::optional<std::chrono::seconds> retryAfter(const std::string& key);
  void recordFailure(const std::string& key);
  void recordSuccess(const std::string& key);

 private:
  friend class LoginAttempt;
  struct State {
    std::deque<core::Instant> failures;
    std::optional<core::Instant> lockedUntil;
    int inFlight = 0;
  };
  // REQUIRES: mutex_ held.
  State& stateOf(const std::string& key);
  std::optional<std::chrono::seconds> waitFor(State& state, core::Instant now);
  void failLocked(const std::string& key, core::Instant now);
  void release(const std::vector<std::string>& keys, bool failed, const std::string* forgiven);
  void forgetOldest();

  const core::Clock& clock_;
  const ThrottleOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, State> states_;
  std::deque<std::string> order_;  // insertion order, for the memory bound
};

}  // namespace parcours::identity
