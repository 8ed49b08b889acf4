#pragma once
// Random bytes from the operating system's CSPRNG (through OpenSSL) and the
// two text encodings we store or hand out random values in.

#include <cstddef>
#include <string>
#include <string_view>

namespace parcours::identity {

// `n` bytes from OpenSSL's RAND_bytes, suitable for keys, salts, nonces and
// tokens. Throws core::Error(internal) if the generator fails (never silently
// returns weak bytes).
std::string randomBytes(std::size_t n);

// RFC 4648 §5 base64url ("-" and "_"), without "=" padding: 32 bytes → 43
// characters. Safe in URLs, headers and file names.
std::string base64url(std::string_view bytes);

// Lower-case hexadecimal, two characters per byte.
std::string hex(std::string_view bytes);

}  // namespace parcours::identity
