#pragma once
// KeyFileCipher — the field cipher of a running process, bound to its key
// file. While `parcoursd keys rotate` adds a key and re-encrypts rows, a
// daemon keeps working: it re-reads the key file when it meets a ciphertext
// under a key it does not hold, and checks the file's modification time (at
// most once a second) before encrypting, so new writes move to the new key
// as soon as the file has it.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "identity/field_cipher.h"

namespace parcours::identity {

class KeyFileCipher {
 public:
  // Loads (or creates, mode 0600) the key file.
  explicit KeyFileCipher(std::string path);

  // As FieldCipher: bound to the column (`context`) and the row's id.
  std::string encrypt(std::string_view plaintext, std::string_view context, std::int64_t rowId) const;
  std::string decrypt(std::string_view ciphertext, std::string_view context, std::int64_t rowId) const;
  // True when `ciphertext` is under another key than the current one, or
  // not yet bound to its row.
  bool needsRotation(std::string_view ciphertext) const;
  std::uint32_t currentKeyId() const;

 private:
  std::shared_ptr<const FieldCipher> current() const;
  std::shared_ptr<const FieldCipher> reload() const;

  const std::string path_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const FieldCipher> cipher_;
  mutable std::chrono::steady_clock::time_point lastCheck_;
  mutable long long loadedMtime_ = 0;
};

}  // namespace parcours::identity
