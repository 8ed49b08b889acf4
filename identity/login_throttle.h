#pragma once
// LoginThrottle — counts failed sign-ins per key (an account's e-mail hash,
// a client address) in a sliding window; past the limit the key is locked
// for a while and callers answer 429 with Retry-After. In memory, per
// process: a restart forgets, and each daemon of a cluster counts on its own
// (so an attacker gets at most limit × daemons tries per window).

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace parcours::identity {

struct ThrottleOptions {
  int maxFailures = 5;
  std::chrono::seconds window{std::chrono::minutes(15)};
  std::chrono::seconds lockout{std::chrono::minutes(15)};
  std::size_t maxKeys = 100000;  // memory bound: the oldest keys are forgotten first
};

class LoginThrottle {
 public:
  LoginThrottle(const core::Clock& clock, ThrottleOptions options);

  // Seconds to wait when `key` is locked now, nullopt when it may try.
  std::optional<std::chrono::seconds> retryAfter(const std::string& key);
  void recordFailure(const std::string& key);
  void recordSuccess(const std::string& key);

 private:
  struct State {
    std::deque<core::Instant> failures;
    std::optional<core::Instant> lockedUntil;
  };
  void forgetOldest();

  const core::Clock& clock_;
  const ThrottleOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, State> states_;
  std::deque<std::string> order_;  // insertion order, for the memory bound
};

}  // namespace parcours::identity
