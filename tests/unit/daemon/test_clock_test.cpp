#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "daemon/test_clock.h"

using namespace parcours;

namespace {
void writeAtomically(const std::filesystem::path& path, const std::string& text) {
  const auto temporary = path.string() + ".new";
  std::ofstream(temporary) << text;
  std::filesystem::rename(temporary, path);
}
}  // namespace

TEST_CASE("the testable clock is the system clock, shifted by the seconds of its file", "[clock]") {
  const auto dir = std::filesystem::temp_directory_path() / ("parcours-clock-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "offset";
  const core::SystemClock system;

  daemon::TestableClock plain("");
  CHECK_FALSE(plain.shifted());
  CHECK(std::chrono::abs(plain.now() - system.now()) <= std::chrono::seconds(1));

  daemon::TestableClock clock(file.string());
  CHECK(std::chrono::abs(clock.now() - system.now()) <= std::chrono::seconds(1));  // no file yet: 0
  writeAtomically(file, "864000\n");
  CHECK(std::chrono::abs(clock.now() - (system.now() + std::chrono::days(10))) <= std::chrono::seconds(1));
  writeAtomically(file, "-3600");
  CHECK(std::chrono::abs(clock.now() - (system.now() - std::chrono::hours(1))) <= std::chrono::seconds(1));
  writeAtomically(file, "ten days");
  CHECK_THROWS_AS(clock.now(), core::Error);
  std::filesystem::remove_all(dir);
}
