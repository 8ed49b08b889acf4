#pragma once
// TokenCache — remembers, for a few seconds, which principal a token hash
// stands for, so that a burst of requests with one token reads the tokens
// table once rather than once per request. A logout through this process
// (a revocation, a disabled user, a password change) forgets the token at
// once; a revocation made by another daemon on the same
// database takes effect here within the cache's lifetime (documented in
// docs/configuration.md). A lifetime of zero turns the cache off.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/time.h"
#include "identity/principal.h"

namespace parcours::identity {

struct TokenCacheOptions {
  std::chrono::seconds lifetime{5};
  std::size_t maxEntries = 50000;  // memory bound: past it, expired entries go, then all
};

class TokenCache {
 public:
  TokenCache(const core::Clock& clock, TokenCacheOptions options);

  std::optional<Principal> find(const std::string& tokenHash);
  // Counts forgets: read it before reading a token from the database and
  // pass it to remember(), so that a principal read before a revocation
  // made meanwhile is not remembered after it.
  std::uint64_t generation();
  // Remembers a principal until the cache lifetime or `tokenExpires`, whichever
  // comes first — unless something was forgotten since `seenGeneration`.
  void remember(const std::string& tokenHash, const Principal& principal, std::optional<core::Instant> tokenExpires,
                std::uint64_t seenGeneration);
  // Forgets the token (a logout, a revocation): its next use reads the database again.
  void forgetToken(core::TokenId tokenId);
  // Forgets every token of the user (disabled, password changed or reset).
  void forgetUser(core::UserId userId);

 private:
  struct Entry {
    Principal principal;
    core::Instant validUntil;
  };

  const core::Clock& clock_;
  const TokenCacheOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace parcours::identity
