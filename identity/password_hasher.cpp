#include "identity/password_hasher.h"

#include <argon2.h>

#include <cstdint>

#include "core/error.h"
#include "identity/secure_random.h"

namespace parcours::identity {

namespace {

constexpr std::uint32_t kTimeCost = 2;
constexpr std::uint32_t kMemoryKiB = 19456;
constexpr std::uint32_t kParallelism = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::string_view kCurrentPrefix = "$argon2id$v=19$m=19456,t=2,p=1$";

constexpr std::size_t kMinPasswordCodePoints = 12;
constexpr std::size_t kMaxPasswordBytes = 1024;

}  // namespace

std::string hashPassword(std::string_view password) {
  const std::string salt = randomBytes(kSaltBytes);
  std::string encoded(argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltBytes, kHashBytes, Argon2_id), '\0');
  const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(), password.size(),
                                       salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    throw core::Error(core::ErrorCode::internal, std::string("password hashing failed: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0'));  // argon2_encodedlen counts the terminator
  return encoded;
}

bool verifyPassword(std::string_view password, const std::string& encoded) noexcept {
  // Only our own algorithm: an "$argon2i$" string would otherwise be refused
  // by argon2id_verify anyway, but say so plainly.
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool needsRehash(const std::string& encoded) noexcept {
  return encoded.rfind(kCurrentPrefix, 0) != 0;
}

const std::string& dummyPasswordHash() {
  static const std::string hash = hashPassword(base64url(randomBytes(24)));
  return hash;
}

void requireAcceptablePassword(std::string_view password, const std::string& field) {
  if (password.size() > kMaxPasswordBytes) {
    throw core::Error(core::ErrorCode::unprocessable, "the password must not be longer than 1024 bytes", field);
  }
  std::size_t codePoints = 0;
  for (const char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++codePoints;  // not a continuation byte
  }
  if (codePoints < kMinPasswordCodePoints) {
    throw core::Error(core::ErrorCode::unprocessable, "the password must have at least 12 characters", field);
  }
}

}  // namespace parcours::identity
