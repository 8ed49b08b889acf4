#include "identity/field_cipher.h"

#include <climits>
#include <memory>
#include <optional>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/error.h"
#include "identity/private_file.h"
#include "identity/secure_random.h"

namespace parcours::identity {

namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr unsigned char kUnboundVersion = 1;   // AAD: header, context
constexpr unsigned char kRowBoundVersion = 2;  // AAD: header, row id, context
constexpr std::size_t kHeaderBytes = 1 + 4;    // version, key id
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kOverheadBytes = kHeaderBytes + kNonceBytes + kTagBytes;
constexpr std::size_t kMaxKeyFileBytes = 1 << 20;

constexpr std::string_view kDecryptFailure = "cannot decrypt a stored field";

[[noreturn]] void failDecrypt() {
  throw core::Error(core::ErrorCode::internal, std::string(kDecryptFailure));
}

// ---- standard base64 (RFC 4648 §4), strict: canonical, padded ----

std::string toBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> fromBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    const int v = base64Value(text[i]);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6 | static_cast<unsigned>(v)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(buffer >> bits & 0xFF);
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
  return out;
}

// ---- key file parsing ----

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::optional<std::uint32_t> parseKeyId(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

[[noreturn]] void badLine(std::size_t line, const std::string& why) {
  throw core::Error(core::ErrorCode::bad_request, "key file line " + std::to_string(line) + ": " + why);
}

// Prefixes the path to a parse error, keeping its code.
KeyRing parseKeyFile(const std::string& path, std::string_view text) {
  try {
    return KeyRing::fromFileText(text);
  } catch (const core::Error& e) {
    throw core::Error(e.code(), path + ": " + e.what());
  }
}

// ---- AES-256-GCM ----

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

CipherContext newContext() {
  CipherContext ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw core::Error(core::ErrorCode::internal, "cannot allocate a cipher context");
  return ctx;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s, std::size_t offset = 0) {
  return reinterpret_cast<unsigned char*>(s.data()) + offset;
}

// The row id as 8 bytes, big-endian (fixed length, so it cannot run into the
// context).
std::string rowIdBytes(std::int64_t rowId) {
  std::string out(8, '\0');
  const auto value = static_cast<std::uint64_t>(rowId);
  for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<char>(value >> (56 - 8 * i) & 0xFF);
  return out;
}

// Feeds the authenticated-but-not-encrypted parts: the 5-byte header (fixed
// length, so header and what follows cannot be confused), the 8-byte row id
// for version 2 (empty for version 1) and the context.
bool addAssociatedData(EVP_CIPHER_CTX* ctx, std::string_view header, std::string_view row, std::string_view context,
                       bool encrypting) {
  const auto update = encrypting ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  int ignored = 0;
  for (const std::string_view part : {header, row, context}) {
    if (!part.empty() && update(ctx, nullptr, &ignored, bytes(part), static_cast<int>(part.size())) != 1) return false;
  }
  return true;
}

unsigned char versionOf(std::string_view ciphertext) {
  if (ciphertext.size() < kOverheadBytes) failDecrypt();
  const auto version = static_cast<unsigned char>(ciphertext[0]);
  if (version != kUnboundVersion && version != kRowBoundVersion) failDecrypt();
  return version;
}

std::uint32_t readKeyId(std::string_view ciphertext) {
  versionOf(ciphertext);
  std::uint32_t id = 0;
  for (std::size_t i = 1; i < kHeaderBytes; ++i) id = id << 8 | static_cast<unsigned char>(ciphertext[i]);
  return id;
}

// Seals `plaintext` under `key` with a fresh nonce; `row` is empty for
// version 1.
std::string seal(const std::string& key, std::uint32_t keyId, unsigned char version, std::string_view row,
                 std::string_view plaintext, std::string_view context) {
  if (plaintext.size() > static_cast<std::size_t>(INT_MAX) - kOverheadBytes ||
      context.size() > static_cast<std::size_t>(INT_MAX)) {
    throw core::Error(core::ErrorCode::internal, "field too large to encrypt");
  }
  std::string out(kOverheadBytes + plaintext.size(), '\0');
  out[0] = static_cast<char>(version);
  for (std::size_t i = 0; i < 4; ++i) out[1 + i] = static_cast<char>(keyId >> (24 - 8 * i) & 0xFF);
  const std::string nonce = randomBytes(kNonceBytes);
  out.replace(kHeaderBytes, kNonceBytes, nonce);

  const CipherContext ctx = newContext();
  int length = 0;
  int finalLength = 0;
  const bool ok =
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) == 1 &&
      addAssociatedData(ctx.get(), std::string_view(out).substr(0, kHeaderBytes), row, context, true) &&
      (plaintext.empty() || EVP_EncryptUpdate(ctx.get(), bytes(out, kHeaderBytes + kNonceBytes), &length,
                                              bytes(plaintext), static_cast<int>(plaintext.size())) == 1) &&
      EVP_EncryptFinal_ex(ctx.get(), bytes(out, kHeaderBytes + kNonceBytes + static_cast<std::size_t>(length)),
                          &finalLength) == 1 &&
      static_cast<std::size_t>(length) + static_cast<std::size_t>(finalLength) == plaintext.size() &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          bytes(out, out.size() - kTagBytes)) == 1;
  if (!ok) throw core::Error(core::ErrorCode::internal, "cannot encrypt a field");
  return out;
}

}  // namespace

// ---------------------------------------------------------------- KeyRing

KeyRing::KeyRing(std::map<std::uint32_t, std::string> keys) : keys_(std::move(keys)) {}

KeyRing::~KeyRing() {
  for (auto& [id, key] : keys_) OPENSSL_cleanse(key.data(), key.size());
}

KeyRing& KeyRing::operator=(KeyRing other) noexcept {
  for (auto& [id, key] : keys_) OPENSSL_cleanse(key.data(), key.size());
  keys_ = std::move(other.keys_);
  return *this;
}

KeyRing KeyRing::generate() {
  return KeyRing({{1, randomBytes(kKeyBytes)}});
}

KeyRing KeyRing::fromFileText(std::string_view text) {
  std::map<std::uint32_t, std::string> keys;
  std::size_t lineNumber = 0;
  while (!text.empty()) {
    ++lineNumber;
    const auto end = text.find('\n');
    const std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;

    const auto colon = line.find(':');
    if (colon == std::string_view::npos) badLine(lineNumber, "expected ID:BASE64KEY");
    const auto id = parseKeyId(trim(line.substr(0, colon)));
    if (!id) badLine(lineNumber, "the key id must be a whole number from 0 to 4294967295");
    auto key = fromBase64(trim(line.substr(colon + 1)));
    if (!key || key->size() != kKeyBytes) badLine(lineNumber, "the key must be standard base64 of exactly 32 bytes");
    if (!keys.emplace(*id, std::move(*key)).second) {
      badLine(lineNumber, "key id " + std::to_string(*id) + " appears more than once");
    }
  }
  if (keys.empty()) throw core::Error(core::ErrorCode::bad_request, "the key file holds no key");
  return KeyRing(std::move(keys));
}

std::string KeyRing::toFileText() const {
  std::string text =
      "# Parcours field-encryption keys, one per line as ID:BASE64KEY; the highest id encrypts,\n"
      "# every id decrypts. Keep this file private (mode 0600) and backed up: without it the\n"
      "# encrypted data cannot be read.\n";
  for (const auto& [id, key] : keys_) text += std::to_string(id) + ":" + toBase64(key) + "\n";
  return text;
}

KeyRing KeyRing::withNewKey() const {
  const std::uint32_t current = currentId();
  if (current == UINT32_MAX) throw core::Error(core::ErrorCode::internal, "no key id is left after 4294967295");
  KeyRing copy(*this);
  copy.keys_.emplace(current + 1, randomBytes(kKeyBytes));
  return copy;
}

KeyRing KeyRing::loadOrCreate(const std::string& path) {
  if (auto text = readPrivateFile(path, kMaxKeyFileBytes, "key file")) return parseKeyFile(path, *text);
  KeyRing ring = generate();
  if (createPrivateFile(path, ring.toFileText(), "key file")) return ring;
  // Another process made it meanwhile: its keys are the ones.
  if (auto text = readPrivateFile(path, kMaxKeyFileBytes, "key file")) return parseKeyFile(path, *text);
  throw core::Error(core::ErrorCode::internal, "key file " + path + " vanished while being created");
}

void KeyRing::save(const std::string& path) const {
  replacePrivateFile(path, toFileText(), "key file");
}

// ------------------------------------------------------------- FieldCipher

FieldCipher::FieldCipher(KeyRing ring) : ring_(std::move(ring)) {}

std::string FieldCipher::encrypt(std::string_view plaintext, std::string_view context, std::int64_t rowId) const {
  const std::uint32_t keyId = ring_.currentId();
  return seal(ring_.keys_.at(keyId), keyId, kRowBoundVersion, rowIdBytes(rowId), plaintext, context);
}

std::string FieldCipher::encryptUnbound(std::string_view plaintext, std::string_view context) const {
  const std::uint32_t keyId = ring_.currentId();
  return seal(ring_.keys_.at(keyId), keyId, kUnboundVersion, {}, plaintext, context);
}

std::string FieldCipher::decrypt(std::string_view ciphertext, std::string_view context, std::int64_t rowId) const {
  const std::uint32_t keyId = readKeyId(ciphertext);
  const std::string row = versionOf(ciphertext) == kRowBoundVersion ? rowIdBytes(rowId) : std::string();
  const auto key = ring_.keys_.find(keyId);
  if (key == ring_.keys_.end()) failDecrypt();
  if (ciphertext.size() > static_cast<std::size_t>(INT_MAX) || context.size() > static_cast<std::size_t>(INT_MAX)) {
    failDecrypt();
  }

  const std::string_view nonce = ciphertext.substr(kHeaderBytes, kNonceBytes);
  const std::string_view body = ciphertext.substr(kHeaderBytes + kNonceBytes, ciphertext.size() - kOverheadBytes);
  std::string tag(ciphertext.substr(ciphertext.size() - kTagBytes));  // SET_TAG wants a mutable pointer
  std::string plaintext(body.size(), '\0');

  const CipherContext ctx = newContext();
  int length = 0;
  int finalLength = 0;
  const bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key->second), bytes(nonce)) == 1 &&
      addAssociatedData(ctx.get(), ciphertext.substr(0, kHeaderBytes), row, context, false) &&
      (body.empty() ||
       EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &length, bytes(body), static_cast<int>(body.size())) == 1) &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), bytes(tag)) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext, static_cast<std::size_t>(length)), &finalLength) == 1 &&
      static_cast<std::size_t>(length) + static_cast<std::size_t>(finalLength) == body.size();
  if (!ok) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());  // unauthenticated: never let it out
    failDecrypt();
  }
  return plaintext;
}

std::uint32_t FieldCipher::keyIdOf(std::string_view ciphertext) const {
  return readKeyId(ciphertext);
}

bool FieldCipher::needsRotation(std::string_view ciphertext) const {
  return readKeyId(ciphertext) != ring_.currentId() || versionOf(ciphertext) != kRowBoundVersion;
}

}  // namespace parcours::identity
