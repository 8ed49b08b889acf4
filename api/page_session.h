#pragma once
// Page sessions: the cookie a browser page signs in with, and its CSRF token.
// Pure rules, no I/O (docs/api.md "Pages", docs/decisions.md "Pages (issue 13)"):
//   - the cookie `parcours_session` carries an ordinary session token's
//     secret (stored only as its SHA-256, like every token);
//   - its CSRF token is derived from that secret, never stored: the SHA-256 of
//     a fixed label and the secret. A database dump (which holds only the
//     secret's hash) cannot produce it; the page script, which never sees the
//     HttpOnly cookie, gets it once at sign-in;
//   - a request authenticated by the cookie must present that token in
//     X-CSRF-Token for every method but GET and HEAD.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace parcours::api {

inline constexpr std::string_view kSessionCookie = "parcours_session";

// The value of cookie `name` in a Cookie header ("a=1; b=2"), nullopt when
// absent. The first occurrence wins; values are taken as sent (no decoding);
// an empty value counts as absent.
std::optional<std::string> cookieValue(std::string_view cookieHeader, std::string_view name);

// The CSRF token of the session whose secret is `sessionSecret` (64 hex).
std::string csrfTokenFor(std::string_view sessionSecret);

// Whether `presented` is the CSRF token of `sessionSecret`; compared in
// constant time (the expected value's length is public: always 64).
bool csrfMatches(std::string_view sessionSecret, std::string_view presented);

// Whether `method` changes nothing and so needs no CSRF token.
bool csrfExempt(std::string_view method);

// The Set-Cookie value that stores `secret` for `lifetime`: HttpOnly,
// SameSite=Strict, Path=/, Max-Age the session's own lifetime (never shorter),
// Secure when the client reached us over HTTPS.
std::string sessionCookie(std::string_view secret, std::chrono::seconds lifetime, bool secure);

// The Set-Cookie value that makes the browser forget the session cookie.
std::string clearedSessionCookie(bool secure);

}  // namespace parcours::api
