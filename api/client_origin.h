#pragma once
// Who the client is when a reverse proxy stands between it and the daemon.
// X-Forwarded-For and X-Forwarded-Proto are believed only when the TCP peer
// is one of the configured trusted proxies (`http.trusted_proxies`); from
// any other peer they are ignored, since anyone can send them.

#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/IPAddress.h>

namespace parcours::api {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Parses addresses and CIDR blocks separated by commas or spaces
  // ("127.0.0.1, 10.0.0.0/8, ::1"); an empty list trusts no one. Throws
  // core::Error(bad_request) naming the entry it cannot read.
  static TrustedProxies parse(std::string_view list);

  bool contains(const Poco::Net::IPAddress& address) const;
  bool empty() const noexcept { return blocks_.empty(); }

 private:
  struct Block {
    Poco::Net::IPAddress network;  // already masked
    Poco::Net::IPAddress mask;
  };
  std::vector<Block> blocks_;
};

struct ClientOrigin {
  Poco::Net::IPAddress address;  // the client as far as the proxies can be trusted
  bool https = false;            // a trusted proxy said the client used HTTPS
};

// The client behind `peer`. From a trusted proxy, the rightmost entry of
// `forwardedFor` (all X-Forwarded-For values joined by commas) that is not
// itself a trusted proxy; the peer when the header is absent or an entry on
// the way cannot be read. `forwardedProto` is the last X-Forwarded-Proto value.
ClientOrigin clientOrigin(const Poco::Net::IPAddress& peer, std::string_view forwardedFor,
                          std::string_view forwardedProto, const TrustedProxies& trusted);

}  // namespace parcours::api
