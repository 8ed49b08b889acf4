#include "identity/token_cache.h"

#include <algorithm>

namespace parcours::identity {

TokenCache::TokenCache(const core::Clock& clock, TokenCacheOptions options) : clock_(clock), options_(options) {}

std::optional<Principal> TokenCache::find(const std::string& tokenHash) {
  if (options_.lifetime.count() <= 0) return std::nullopt;
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(tokenHash);
  if (found == entries_.end()) return std::nullopt;
  if (found->second.validUntil <= now) {
    entries_.erase(found);
    return std::nullopt;
  }
  return found->second.principal;
}

std::uint64_t TokenCache::generation() {
  std::lock_guard lock(mutex_);
  return generation_;
}

void TokenCache::remember(const std::string& tokenHash, const Principal& principal,
                          std::optional<core::Instant> tokenExpires, std::uint64_t seenGeneration) {
  if (options_.lifetime.count() <= 0) return;
  const auto now = clock_.now();
  auto validUntil = now + options_.lifetime;
  if (tokenExpires) validUntil = std::min(validUntil, *tokenExpires);
  std::lock_guard lock(mutex_);
  if (generation_ != seenGeneration) return;  // a revocation may have come after the read
  if (entries_.size() >= options_.maxEntries && !entries_.contains(tokenHash)) {
    std::erase_if(entries_, [&](const auto& entry) { return entry.second.validUntil <= now; });
    if (entries_.size() >= options_.maxEntries) entries_.clear();
  }
  entries_.insert_or_assign(tokenHash, Entry{principal, validUntil});
}

void TokenCache::forgetToken(core::TokenId tokenId) {
  std::lock_guard lock(mutex_);
  ++generation_;
  std::erase_if(entries_, [&](const auto& entry) { return entry.second.principal.tokenId == tokenId; });
}

void TokenCache::forgetUser(core::UserId userId) {
  std::lock_guard lock(mutex_);
  ++generation_;
  std::erase_if(entries_, [&](const auto& entry) { return entry.second.principal.userId == userId; });
}

}  // namespace parcours::identity
