#include "api/page_session.h"

#include "identity/token.h"

namespace parcours::api {

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Domain separation: this hash is never equal to the stored token hash.
constexpr std::string_view kCsrfLabel = "parcours-csrf-v1\x1f";

std::string attributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

}  // namespace

std::optional<std::string> cookieValue(std::string_view cookieHeader, std::string_view name) {
  while (!cookieHeader.empty()) {
    const auto semicolon = cookieHeader.find(';');
    const std::string_view pair = cookieHeader.substr(0, semicolon);
    cookieHeader = semicolon == std::string_view::npos ? std::string_view() : cookieHeader.substr(semicolon + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (trimmed(pair.substr(0, equals)) != name) continue;
    const std::string_view value = trimmed(pair.substr(equals + 1));
    if (value.empty()) return std::nullopt;
    return std::string(value);
  }
  return std::nullopt;
}

std::string csrfTokenFor(std::string_view sessionSecret) {
  std::string input(kCsrfLabel);
  input.append(sessionSecret);
  return identity::sha256Hex(input);
}

bool csrfMatches(std::string_view sessionSecret, std::string_view presented) {
  const std::string expected = csrfTokenFor(sessionSecret);
  if (presented.size() != expected.size()) return false;  // the length is public (64)
  return identity::constantTimeEquals(expected, presented);
}

bool csrfExempt(std::string_view method) {
  return method == "GET" || method == "HEAD";
}

std::string sessionCookie(std::string_view secret, std::chrono::seconds lifetime, bool secure) {
  const auto seconds = lifetime.count() > 0 ? lifetime.count() : 0;
  return std::string(kSessionCookie) + "=" + std::string(secret) + attributes(secure) +
         "; Max-Age=" + std::to_string(seconds);
}

std::string clearedSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=" + attributes(secure) + "; Max-Age=0";
}

}  // namespace parcours::api
