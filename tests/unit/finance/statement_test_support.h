#pragma once
// Helpers shared by the statement parser tests.

#include <fstream>
#include <sstream>
#include <string>

#include "core/time.h"
#include "finance/statement_line.h"

namespace parcours::finance::testing {

inline core::LocalDate day(int y, unsigned m, unsigned d) {
  return core::LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

struct Refusal {
  int line = -1;       // -1: the parse did not throw StatementError
  std::string reason;  // the message
};

// Runs `parse` and reports the StatementError it threw.
template <class Parse>
Refusal refusalOf(Parse&& parse) {
  try {
    parse();
  } catch (const StatementError& error) {
    return {error.line(), error.what()};
  }
  return {};
}

inline std::string readSample(const std::string& name) {
  std::ifstream file(std::string(PARCOURS_SOURCE_DIR) + "/docs/samples/" + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

}  // namespace parcours::finance::testing
