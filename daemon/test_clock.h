#pragma once
// The daemon's clock: the system clock, or — for end-to-end tests only — the
// system clock shifted by a number of seconds read from a file
// (`testing.clock_offset_file`). Rules that depend on "now" (no booking in
// the past, attendance once a session has started, the calendar feed's
// window) can then be tested through the real daemon: a test books ahead,
// writes a new offset and the daemon lives later. Never set it in
// production: whoever can write the file moves the program's time.

#include <mutex>
#include <string>
#include <sys/stat.h>

#include "core/time.h"

namespace parcours::daemon {

class TestableClock final : public core::Clock {
 public:
  // An empty path: the plain system clock.
  explicit TestableClock(std::string offsetFile);
  core::Instant now() const override;
  bool shifted() const { return !path_.empty(); }

 private:
  // The offset in seconds: the file's one integer (may be negative); 0 while
  // the file does not exist. Re-read when the file changes.
  std::chrono::seconds offset() const;

  std::string path_;
  core::SystemClock system_;
  mutable std::mutex mutex_;
  mutable ino_t inode_ = 0;
  mutable timespec modified_{};
  mutable std::chrono::seconds offset_{0};
};

}  // namespace parcours::daemon
