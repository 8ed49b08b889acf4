#include "identity/login_throttle.h"

namespace parcours::identity {

LoginThrottle::LoginThrottle(const core::Clock& clock, ThrottleOptions options) : clock_(clock), options_(options) {}

std::optional<std::chrono::seconds> LoginThrottle::retryAfter(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto found = states_.find(key);
  if (found == states_.end() || !found->second.lockedUntil) return std::nullopt;
  const auto now = clock_.now();
  if (*found->second.lockedUntil <= now) {
    found->second.lockedUntil.reset();
    found->second.failures.clear();
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(*found->second.lockedUntil - now);
}

void LoginThrottle::recordFailure(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  auto [it, inserted] = states_.try_emplace(key);
  if (inserted) {
    order_.push_back(key);
    if (states_.size() > options_.maxKeys) forgetOldest();
  }
  State& state = it->second;
  while (!state.failures.empty() && state.failures.front() <= now - options_.window) state.failures.pop_front();
  state.failures.push_back(now);
  if (static_cast<int>(state.failures.size()) >= options_.maxFailures) state.lockedUntil = now + options_.lockout;
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
