#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

#include "identity/token_cache.h"

using namespace parcours;
using parcours::testing::ManualClock;

namespace {

identity::Principal principal(std::int64_t tokenId) {
  identity::Principal p;
  p.userId = core::UserId(7);
  p.role = identity::Role::coordinator;
  p.tokenId = core::TokenId(tokenId);
  return p;
}
}  // namespace

TEST_CASE("a remembered token is found until the cache lifetime ends", "[token-cache]") {
  ManualClock clock;
  identity::TokenCache cache(clock, {.lifetime = std::chrono::seconds(5)});
  CHECK_FALSE(cache.find("h1"));
  cache.remember("h1", principal(1), std::nullopt, cache.generation());
  REQUIRE(cache.find("h1"));
  CHECK(cache.find("h1")->tokenId == core::TokenId(1));
  CHECK_FALSE(cache.find("h2"));
  clock.advance(std::chrono::seconds(4));
  CHECK(cache.find("h1"));
  clock.advance(std::chrono::seconds(1));
  CHECK_FALSE(cache.find("h1"));
}

TEST_CASE("a token expiring before the cache lifetime is forgotten when it expires", "[token-cache]") {
  ManualClock clock;
  identity::TokenCache cache(clock, {.lifetime = std::chrono::seconds(5)});
  cache.remember("h1", principal(1), clock.now() + std::chrono::seconds(2), cache.generation());
  CHECK(cache.find("h1"));
  clock.advance(std::chrono::seconds(2));
  CHECK_FALSE(cache.find("h1"));
}

TEST_CASE("forgetting a token id removes it at once", "[token-cache]") {
  ManualClock clock;
  identity::TokenCache cache(clock, {.lifetime = std::chrono::seconds(5)});
  cache.remember("h1", principal(1), std::nullopt, cache.generation());
  cache.remember("h2", principal(2), std::nullopt, cache.generation());
  cache.forgetToken(core::TokenId(1));
  CHECK_FALSE(cache.find("h1"));
  CHECK(cache.find("h2"));
}

TEST_CASE("a zero lifetime caches nothing", "[token-cache]") {
  ManualClock clock;
  identity::TokenCache cache(clock, {.lifetime = std::chrono::seconds(0)});
  cache.remember("h1", principal(1), std::nullopt, cache.generation());
  CHECK_FALSE(cache.find("h1"));
}

TEST_CASE("the cache stays within its bound", "[token-cache]") {
  ManualClock clock;
  identity::TokenCache cache(clock, {.lifetime = std::chrono::seconds(5), .maxEntries = 3});
  for (const char* key : {"h0", "h1", "h2"})
    cache.remember(key, principal(key[1] - '0'), std::nullopt, cache.generation());
  clock.advance(std::chrono::seconds(5));  // all three expired
  cache.remember("h9", principal(9), std::nullopt, cache.generation());
  CHECK(cache.find("h9"));
  cache.remember("h10", principal(10), std::nullopt, cache.generation());
  cache.remember("h11", principal(11), std::nullopt, cache.generation());
  cache.remember("h12", principal(12), std::nullopt, cache.generation());  // full of live entries: starts over
  CHECK(cache.find("h12"));
  CHECK_FALSE(cache.find("h9"));
}

TEST_CASE("forgetting a user removes each of their tokens at once", "[token-cache]") {
  ManualClock clock;
  identity::TokenCache cache(clock, {.lifetime = std::chrono::seconds(5)});
  auto other = principal(3);
  other.userId = core::UserId(8);
  cache.remember("h1", principal(1), std::nullopt, cache.generation());
  cache.remember("h2", principal(2), std::nullopt, cache.generation());
  cache.remember("h3", other, std::nullopt, cache.generation());
  cache.forgetUser(core::UserId(7));
  CHECK_FALSE(cache.find("h1"));
  CHECK_FALSE(cache.find("h2"));
  CHECK(cache.find("h3"));
}

TEST_CASE("a principal read before a revocation is not remembered after it", "[token-cache]") {
  ManualClock clock;
  identity::TokenCache cache(clock, {.lifetime = std::chrono::seconds(5)});
  const auto seen = cache.generation();  // a request reads token 1 from the database...
  cache.forgetToken(core::TokenId(1));                  // ...while another revokes it
  cache.remember("h1", principal(1), std::nullopt, seen);
  CHECK_FALSE(cache.find("h1"));
  cache.remember("h1", principal(1), std::nullopt, cache.generation());
  CHECK(cache.find("h1"));
}
