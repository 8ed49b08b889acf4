#include "identity/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/error.h"
#include "identity/secure_random.h"

namespace parcours::identity {

namespace {
constexpr std::size_t kTokenBytes = 32;
}

IssuedToken newToken(std::string_view prefix) {
  IssuedToken token;
  token.secret.reserve(prefix.size() + 43);
  token.secret.append(prefix);
  token.secret += base64url(randomBytes(kTokenBytes));
  token.hash = tokenHash(token.secret);
  return token;
}

std::string tokenHash(std::string_view secret) {
  return sha256Hex(secret);
}

std::string sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up on every
  // digest, a measurable share of each authenticated request.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (sha256 == nullptr || EVP_Digest(bytes.data(), bytes.size(), digest, &length, sha256, nullptr) != 1) {
    throw core::Error(core::ErrorCode::internal, "SHA-256 failed");
  }
  return hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

bool constantTimeEquals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace parcours::identity
