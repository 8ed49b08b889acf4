#include "identity/key_file_cipher.h"

#include <sys/stat.h>

namespace parcours::identity {

namespace {
long long modificationTime(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
}
}  // namespace

KeyFileCipher::KeyFileCipher(std::string path) : path_(std::move(path)) {
  reload();
}

std::shared_ptr<const FieldCipher> KeyFileCipher::reload() const {
  auto fresh = std::make_shared<const FieldCipher>(KeyRing::loadOrCreate(path_));
  std::lock_guard lock(mutex_);
  cipher_ = fresh;
  loadedMtime_ = modificationTime(path_);
  lastCheck_ = std::chrono::steady_clock::now();
  return fresh;
}

std::shared_ptr<const FieldCipher> KeyFileCipher::current() const {
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - lastCheck_ < std::chrono::seconds(1)) return cipher_;
    lastCheck_ = now;
    if (modificationTime(path_) == loadedMtime_) return cipher_;
  }
  return reload();
}

std::string KeyFileCipher::encrypt(std::string_view plaintext, std::string_view context, std::int64_t rowId) const {
  return current()->encrypt(plaintext, context, rowId);
}

std::string KeyFileCipher::decrypt(std::string_view ciphertext, std::string_view context, std::int64_t rowId) const {
  auto cipher = current();
  if (!cipher->ring().has(cipher->keyIdOf(ciphertext))) cipher = reload();  // a key added meanwhile
  return cipher->decrypt(ciphertext, context, rowId);
}

bool KeyFileCipher::needsRotation(std::string_view ciphertext) const {
  return current()->needsRotation(ciphertext);
}

std::uint32_t KeyFileCipher::currentKeyId() const {
  return current()->ring().currentId();
}

}  // namespace parcours::identity
