#pragma once
// Time helpers shared by unit tests: a clock the test moves by hand, and
// short date literals.

#include <chrono>

#include "core/time.h"

namespace parcours::testing {

class ManualClock final : public core::Clock {
 public:
  explicit ManualClock(core::Instant start = date::sys_days{date::year{2027} / 3 / 16}) : now_(start) {}
  core::Instant now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  core::Instant now_;
};

inline core::LocalDate day(int y, unsigned m, unsigned d) {
  return core::LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

}  // namespace parcours::testing
