#pragma once
// Encryption at rest of personal fields (names, contact details, birth date,
// stored documents): AES-256-GCM with a key ring so that keys can be rotated
// while old ciphertexts stay readable.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace parcours::identity {

// Several 32-byte AES keys by id; the highest id is current (used to
// encrypt), the others only decrypt. Immutable once built; never empty.
// Key bytes are wiped (best effort) when a ring is destroyed or assigned to.
class KeyRing {
 public:
  // A ring with one new random key, id 1.
  static KeyRing generate();

  // Parses a key file: one key per line "ID:BASE64KEY" (ID a decimal uint32,
  // BASE64KEY standard base64 of exactly 32 bytes); blank lines and lines
  // starting with "#" are ignored. Throws core::Error(bad_request) naming
  // the line number — never the key text — for a malformed line, a
  // duplicate id, or a file without any key.
  static KeyRing fromFileText(std::string_view text);

  // Reads the key file at `path`. If there is none, creates it (and any
  // missing folder, mode 0700) holding one new key, with mode 0600 from the
  // first instant (O_CREAT|O_EXCL). Throws core::Error(bad_request) when the
  // file has any group or other permission bit, is not a regular file, or is
  // malformed or unreadable; core::Error(internal) when it cannot be created.
  static KeyRing loadOrCreate(const std::string& path);

  // The key file text, ids ascending, with a header comment.
  std::string toFileText() const;

  // Writes toFileText() to `path` atomically: a 0600 temporary file in the
  // same folder, fsync, rename. Throws core::Error(internal) on failure.
  void save(const std::string& path) const;

  // A copy with one more random key, id currentId() + 1, which becomes
  // current. Save it before encrypting anything with it. Throws
  // core::Error(internal) if currentId() is already the largest uint32.
  KeyRing withNewKey() const;

  std::uint32_t currentId() const noexcept { return keys_.rbegin()->first; }
  bool has(std::uint32_t id) const noexcept { return keys_.count(id) != 0; }

  KeyRing(const KeyRing&) = default;
  KeyRing(KeyRing&&) noexcept = default;
  KeyRing& operator=(KeyRing other) noexcept;  // copy and move
  ~KeyRing();

 private:
  friend class FieldCipher;
  explicit KeyRing(std::map<std::uint32_t, std::string> keys);

  std::map<std::uint32_t, std::string> keys_;  // id → 32 raw bytes
};

// AES-256-GCM field encryption. Output (binary, store as BLOB):
//   1 byte version | 4 bytes key id, big-endian | 12 bytes random nonce |
//   ciphertext (same length as the plaintext) | 16 bytes tag
// Authenticated with it (GCM AAD): the version byte, the key id, `context`
// (the column, e.g. "participants.family_name") and — from version 2 on —
// the row's id (8 bytes, big-endian), so that a ciphertext copied into
// another column or another row, or given another key id, fails to decrypt.
// Version 1 (written before values were bound to their rows) has no row id
// in its additional data; it still decrypts, and key rotation rewrites it as
// version 2.
// Thread-safe: every call uses its own OpenSSL context.
class FieldCipher {
 public:
  explicit FieldCipher(KeyRing ring);

  // Encrypts (version 2) with the current key and a fresh random nonce (so
  // equal plaintexts give different ciphertexts), bound to `context` and
  // `rowId`, the primary key of the row that will hold the value. Empty
  // plaintext is allowed.
  std::string encrypt(std::string_view plaintext, std::string_view context, std::int64_t rowId) const;

  // The plaintext of a value made by encrypt() with the same context and row
  // id (or, for a version-1 value, with the same context) and a key still in
  // the ring. Throws core::Error(internal, "cannot decrypt a stored field")
  // when it is truncated, of an unknown version or key id, moved from
  // another row or column, or fails authentication; the message never holds
  // plaintext or key material.
  std::string decrypt(std::string_view ciphertext, std::string_view context, std::int64_t rowId) const;

  // A version-1 value (not bound to a row), as stored before version 2.
  // Only for tests of the upgrade path: the daemon never writes one.
  std::string encryptUnbound(std::string_view plaintext, std::string_view context) const;

  // The key id in the header; throws like decrypt() when there is no valid
  // header. Does not authenticate.
  std::uint32_t keyIdOf(std::string_view ciphertext) const;

  // True when the value was not encrypted with the current key, or is of
  // version 1 (rotation re-encrypts it, bound to its row).
  bool needsRotation(std::string_view ciphertext) const;

  const KeyRing& ring() const noexcept { return ring_; }

 private:
  KeyRing ring_;
};

}  // namespace parcours::identity
