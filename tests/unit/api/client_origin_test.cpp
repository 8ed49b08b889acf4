#include <catch2/catch.hpp>

#include "api/client_origin.h"
#include "core/error.h"

using parcours::api::clientOrigin;
using parcours::api::TrustedProxies;
using Poco::Net::IPAddress;

namespace {
std::string client(const char* peer, const char* forwardedFor, const TrustedProxies& trusted) {
  return clientOrigin(IPAddress(peer), forwardedFor, "", trusted).address.toString();
}
}  // namespace

TEST_CASE("forwarded headers count only from trusted proxies", "[http]") {
  const TrustedProxies none;
  CHECK(client("127.0.0.1", "203.0.113.9", none) == "127.0.0.1");
  CHECK_FALSE(clientOrigin(IPAddress("127.0.0.1"), "", "https", none).https);

  const auto trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8 ::1");
  CHECK(client("127.0.0.1", "203.0.113.9", trusted) == "203.0.113.9");
  CHECK(client("192.0.2.1", "203.0.113.9", trusted) == "192.0.2.1");
  CHECK(client("127.0.0.1", "", trusted) == "127.0.0.1");
  CHECK(clientOrigin(IPAddress("127.0.0.1"), "", "http, https", trusted).https);
}

TEST_CASE("the client is the rightmost hop that is not a trusted proxy", "[http]") {
  const auto trusted = TrustedProxies::parse("127.0.0.1,10.0.0.0/8");
  CHECK(client("127.0.0.1", "127.0.0.1, 203.0.113.9", trusted) == "203.0.113.9");  // a spoofed left entry
  CHECK(client("127.0.0.1", "203.0.113.9, 10.1.2.3", trusted) == "203.0.113.9");
  CHECK(client("127.0.0.1", "203.0.113.9:4711", trusted) == "203.0.113.9");
  CHECK(client("127.0.0.1", "[2001:db8::1]:443", trusted) == "2001:db8::1");
  CHECK(client("127.0.0.1", "garbage", trusted) == "127.0.0.1");
}

TEST_CASE("trusted proxy lists are checked at start", "[http]") {
  CHECK(TrustedProxies::parse("").empty());
  const auto blocks = TrustedProxies::parse("192.168.0.0/16");
  CHECK(blocks.contains(IPAddress("192.168.44.1")));
  CHECK_FALSE(blocks.contains(IPAddress("192.169.0.1")));
  CHECK_THROWS_AS(TrustedProxies::parse("proxy.example.org"), parcours::core::Error);
  CHECK_THROWS_AS(TrustedProxies::parse("10.0.0.0/33"), parcours::core::Error);
  CHECK_THROWS_AS(TrustedProxies::parse("10.0.0.0/"), parcours::core::Error);
}
