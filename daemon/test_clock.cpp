#include "daemon/test_clock.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace parcours::daemon {

TestableClock::TestableClock(std::string offsetFile) : path_(std::move(offsetFile)) {}

core::Instant TestableClock::now() const {
  if (path_.empty()) return system_.now();
  return system_.now() + offset();
}

std::chrono::seconds TestableClock::offset() const {
  struct stat info {};
  std::lock_guard lock(mutex_);
  if (::stat(path_.c_str(), &info) != 0) {
    inode_ = 0;
    offset_ = std::chrono::seconds(0);
    return offset_;
  }
  if (info.st_ino == inode_ && info.st_mtim.tv_sec == modified_.tv_sec && info.st_mtim.tv_nsec == modified_.tv_nsec) {
    return offset_;
  }
  std::ifstream in(path_);
  std::stringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size()) {
    throw core::Error(core::ErrorCode::internal, "testing.clock_offset_file does not hold a number of seconds");
  }
  inode_ = info.st_ino;
  modified_ = info.st_mtim;
  offset_ = std::chrono::seconds(seconds);
  return offset_;
}

}  // namespace parcours::daemon
