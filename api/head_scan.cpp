#include "api/head_scan.h"

namespace parcours::api {

namespace {
std::size_t firstNonBlank(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && (bytes[i] == '\r' || bytes[i] == '\n')) ++i;
  return i;
}
}  // namespace

std::optional<std::size_t> headEnd(std::string_view bytes) {
  const std::size_t start = firstNonBlank(bytes);
  for (std::size_t i = bytes.find('\n', start); i != std::string_view::npos; i = bytes.find('\n', i + 1)) {
    // After a line feed: either another LF, or CR LF, ends the head.
    if (i + 1 < bytes.size() && bytes[i + 1] == '\n') return i + 2;
    if (i + 2 < bytes.size() && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') return i + 3;
  }
  return std::nullopt;
}

bool onlyBlankLines(std::string_view bytes) {
  return firstNonBlank(bytes) == bytes.size();
}

}  // namespace parcours::api
