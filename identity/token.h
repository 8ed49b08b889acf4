#pragma once
// Bearer tokens (sessions, API tokens, calendar feeds). The secret is shown to
// its holder once; only its SHA-256 is stored, so a database dump yields no
// usable token. 256 random bits make a slow hash unnecessary.

#include <string>
#include <string_view>

namespace parcours::identity {

struct IssuedToken {
  std::string secret;  // prefix + 43 base64url characters; give to the client, never store
  std::string hash;    // tokenHash(secret): 64 lower-case hex characters; store this
};

// A new token: `prefix` (e.g. "pcs_" session, "pca_" API, "pcf_" feed) followed
// by base64url of 32 random bytes. The prefix makes a leaked secret
// recognisable (secret scanners, logs); it adds no entropy.
IssuedToken newToken(std::string_view prefix);

// Hex SHA-256 of a presented secret: look the token up by this value.
std::string tokenHash(std::string_view secret);

// Lower-case hex SHA-256 of any bytes (document fingerprints, request bodies).
std::string sha256Hex(std::string_view bytes);

// Compares without a data-dependent early exit. Lengths are compared first
// (and may leak); use it on equal-length values such as hashes.
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;

}  // namespace parcours::identity
