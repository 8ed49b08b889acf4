#include "identity/secret_file.h"

#include <cstddef>

#include "core/error.h"
#include "identity/private_file.h"
#include "identity/secure_random.h"

namespace parcours::identity {

using core::Error;
using core::ErrorCode;

namespace {
std::string fromHex(const std::string& text, const std::string& path) {
  if (text.size() != 64) throw Error(ErrorCode::bad_request, "secret file " + path + " must hold 64 hex digits");
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const auto digit = [&](char c) {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      throw Error(ErrorCode::bad_request, "secret file " + path + " must hold 64 lower-case hex digits");
    };
    bytes.push_back(static_cast<char>(digit(text[i]) * 16 + digit(text[i + 1])));
  }
  return bytes;
}
}  // namespace

std::string loadOrCreateSecret(const std::string& path) {
  constexpr std::size_t kMaxBytes = 256;  // 64 hex digits and a line end, with room for stray spaces
  auto text = readPrivateFile(path, kMaxBytes, "secret file");
  if (!text) {
    createPrivateFile(path, hex(randomBytes(32)) + "\n", "secret file");  // false: another process made it
    text = readPrivateFile(path, kMaxBytes, "secret file");
    if (!text) throw Error(ErrorCode::internal, "secret file " + path + " vanished while being created");
  }
  return fromHex(text->substr(0, text->find('\n')), path);
}

}  // namespace parcours::identity
