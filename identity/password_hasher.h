#pragma once
// Password hashing with argon2id at OWASP's recommended minimum cost
// (m = 19 MiB, t = 2, p = 1), and the password policy. A hash costs about
// 50 ms and 19 MiB; callers bound concurrency and throttle logins.

#include <string>
#include <string_view>

namespace parcours::identity {

// The PHC string of a new argon2id hash with a fresh 16-byte random salt:
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>". Store it as is.
// Throws core::Error(internal) if hashing fails (e.g. out of memory).
std::string hashPassword(std::string_view password);

// True when `password` matches `encoded`. The comparison is constant-time;
// the parameters are read from `encoded`, so older hashes still verify.
// A malformed or unsupported `encoded` gives false.
bool verifyPassword(std::string_view password, const std::string& encoded) noexcept;

// True when `encoded` was not made with the current parameters: after a
// successful login, rehash and store the password again.
bool needsRehash(const std::string& encoded) noexcept;

// A valid hash of a random password, computed once per process. Login with
// an unknown e-mail verifies against it, so that it takes as long as a wrong
// password (no account enumeration by timing). Nothing verifies against it.
const std::string& dummyPasswordHash();

// Throws core::Error(unprocessable, …, field) when the password has fewer
// than 12 characters (UTF-8 code points) or more than 1024 bytes.
void requireAcceptablePassword(std::string_view password, const std::string& field = "password");

}  // namespace parcours::identity
