#include "identity/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
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
  const auto folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    const std::string text = hex(randomBytes(32)) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) throw Error(ErrorCode::internal, "cannot write secret file " + path);
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw Error(ErrorCode::bad_request, "cannot read secret file " + path);
  if (info.st_mode & (S_IRWXG | S_IRWXO)) {
    throw Error(ErrorCode::bad_request, "secret file " + path + " must not be readable by others (chmod 600)");
  }
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return fromHex(text, path);
}

}  // namespace parcours::identity
