#include "api/client_origin.h"

#include <algorithm>
#include <charconv>

#include "core/error.h"

namespace parcours::api {

using Poco::Net::IPAddress;

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Seen as plain IPv4: a v4 peer on a dual-stack socket is ::ffff:a.b.c.d.
IPAddress unmapped(const IPAddress& address) {
  if (address.family() != IPAddress::IPv6 || !address.isIPv4Mapped()) return address;
  IPAddress v4;
  const std::string text = address.toString();
  const auto colon = text.rfind(':');
  if (colon != std::string::npos && IPAddress::tryParse(text.substr(colon + 1), v4)) return v4;
  return address;
}

std::vector<std::string_view> splitList(std::string_view list, std::string_view separators) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto end = list.find_first_of(separators, start);
    const auto part = trim(list.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!part.empty()) parts.push_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

// One X-Forwarded-For entry: an address, maybe "[v6]" or with ":port".
bool parseForwarded(std::string_view entry, IPAddress& out) {
  std::string text(entry);
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) return false;
    text = text.substr(1, close - 1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    text = text.substr(0, text.find(':'));  // a.b.c.d:port
  }
  if (!IPAddress::tryParse(text, out)) return false;
  out = unmapped(out);
  return true;
}

}  // namespace

TrustedProxies TrustedProxies::parse(std::string_view list) {
  TrustedProxies trusted;
  for (const std::string_view entry : splitList(list, ", \t")) {
    const auto slash = entry.find('/');
    IPAddress address;
    const std::string host(entry.substr(0, slash));
    if (!IPAddress::tryParse(host, address)) {
      throw core::Error(core::ErrorCode::bad_request,
                        "http.trusted_proxies: '" + std::string(entry) + "' is not an address or CIDR block");
    }
    address = unmapped(address);
    const unsigned bits = address.family() == IPAddress::IPv4 ? 32 : 128;
    unsigned prefix = bits;
    if (slash != std::string_view::npos) {
      const auto digits = entry.substr(slash + 1);
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
      if (ec != std::errc() || end != digits.data() + digits.size() || prefix > bits || digits.empty()) {
        throw core::Error(core::ErrorCode::bad_request,
                          "http.trusted_proxies: '" + std::string(entry) + "' has a bad prefix length");
      }
    }
    const IPAddress mask(prefix, address.family());
    trusted.blocks_.push_back({address & mask, mask});
  }
  return trusted;
}

bool TrustedProxies::contains(const IPAddress& candidate) const {
  const IPAddress address = unmapped(candidate);
  for (const Block& block : blocks_) {
    if (block.network.family() == address.family() && (address & block.mask) == block.network) return true;
  }
  return false;
}

ClientOrigin clientOrigin(const IPAddress& peer, std::string_view forwardedFor, std::string_view forwardedProto,
                          const TrustedProxies& trusted) {
  ClientOrigin origin{unmapped(peer), false};
  if (!trusted.contains(origin.address)) return origin;
  const auto protos = splitList(forwardedProto, ",");
  if (!protos.empty()) origin.https = protos.back() == "https";
  const auto hops = splitList(forwardedFor, ",");
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    IPAddress address;
    if (!parseForwarded(*hop, address)) break;  // unreadable: trust no further
    origin.address = address;
    if (!trusted.contains(address)) break;
  }
  return origin;
}

}  // namespace parcours::api
