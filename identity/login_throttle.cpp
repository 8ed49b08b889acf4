#include "identity/login_throttle.h"

#include <algorithm>
#include <utility>

namespace parcours::identity {

LoginAttempt::LoginAttempt(LoginThrottle& throttle, std::vector<std::string> keys)
    : throttle_(&throttle), keys_(std::move(keys)) {}

LoginAttempt::LoginAttempt(LoginAttempt&& other) noexcept
    : throttle_(std::exchange(other.throttle_, nullptr)), keys_(std::move(other.keys_)) {}

LoginAttempt::~LoginAttempt() {
  if (throttle_ != nullptr) throttle_->release(keys_, false, nullptr);
}

void LoginAttempt::failed() {
  if (throttle_ != nullptr) std::exchange(throttle_, nullptr)->release(keys_, true, nullptr);
}

void LoginAttempt::succeeded(const std::string& forgiven) {
  if (throttle_ != nullptr) std::exchange(throttle_, nullptr)->release(keys_, false, &forgiven);
}

LoginThrottle::LoginThrottle(const core::Clock& clock, ThrottleOptions options) : clock_(clock), options_(options) {}

LoginThrottle::State& LoginThrottle::stateOf(const std::string& key) {
  auto [it, inserted] = states_.try_emplace(key);
  if (inserted) {
    order_.push_back(key);
    if (states_.size() > options_.maxKeys) {
      forgetOldest();
      return states_.try_emplace(key).first->second;  // a fresh state when it was the oldest
    }
  }
  return it->second;
}

// Unlocks an expired lockout and drops failures out of the window; → the
// seconds to wait while still locked.
std::optional<std::chrono::seconds> LoginThrottle::waitFor(State& state, core::Instant now) {
  if (state.lockedUntil) {
    if (*state.lockedUntil > now) {
      return std::max(std::chrono::seconds(1),
                      std::chrono::duration_cast<std::chrono::seconds>(*state.lockedUntil - now));
    }
    state.lockedUntil.reset();
    state.failures.clear();
  }
  while (!state.failures.empty() && state.failures.front() <= now - options_.window) state.failures.pop_front();
  return std::nullopt;
}

std::variant<LoginAttempt, std::chrono::seconds> LoginThrottle::begin(std::vector<std::string> keys) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  for (const auto& key : keys) {
    const auto found = states_.find(key);
    if (found == states_.end()) continue;
    State& state = found->second;
    if (auto wait = waitFor(state, now)) return *wait;
    // Attempts in flight may all fail: they count now, not after the hash.
    if (static_cast<int>(state.failures.size()) + state.inFlight >= options_.maxFailures) {
      return std::chrono::seconds(1);
    }
  }
  for (const auto& key : keys) ++stateOf(key).inFlight;
  return LoginAttempt(*this, std::move(keys));
}

void LoginThrottle::release(const std::vector<std::string>& keys, bool failed, const std::string* forgiven) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  for (const auto& key : keys) {
    const auto found = states_.find(key);
    if (found != states_.end() && found->second.inFlight > 0) --found->second.inFlight;
    if (failed) failLocked(key, now);
  }
  if (forgiven != nullptr) {
    const auto found = states_.find(*forgiven);
    if (found != states_.end()) {
      found->second.failures.clear();
      found->second.lockedUntil.reset();
      if (found->second.inFlight == 0) states_.erase(found);  // its place in order_ is skipped when reached
    }
  }
}

std::optional<std::chrono::seconds> LoginThrottle::retryAfter(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto found = states_.find(key);
  if (found == states_.end()) return std::nullopt;
  return waitFor(found->second, clock_.now());
}

void LoginThrottle::failLocked(const std::string& key, core::Instant now) {
  State& state = stateOf(key);
  while (!state.failures.empty() && state.failures.front() <= now - options_.window) state.failures.pop_front();
  state.failures.push_back(now);
  if (static_cast<int>(state.failures.size()) >= options_.maxFailures) state.lockedUntil = now + options_.lockout;
}

void LoginThrottle::recordFailure(const std::string& key) {
  std::lock_guard lock(mutex_);
  failLocked(key, clock_.now());
}

void LoginThrottle::recordSuccess(const std::string& key) {
  std::lock_guard lock(mutex_);
  states_.erase(key);  // its place in order_ is skipped when reached
}

void LoginThrottle::forgetOldest() {
  while (!order_.empty() && states_.size() > options_.maxKeys) {
    states_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace parcours::identity
