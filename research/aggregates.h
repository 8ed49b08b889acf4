#pragma once
// Aggregate tables over a study's consenting files, with small cells
// suppressed (pure).
//
// A cell counts the files with one key (an outcome, a referral month, an age
// band); only keys that occur are listed, in ascending key order. A cell
// under the threshold (5) is suppressed: its count is withheld.
//
// The total is withheld too whenever a cell is suppressed in ANY of the
// study's dimensions, not only in the table asked for: every file has
// exactly one outcome, one month and one age band, so the three tables share
// one total, and a total published beside one table would give back a
// suppressed cell of another as "total minus the visible cells". With no
// total and no suppressed cell's count, no table alone or together lets a
// suppressed count be recomputed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parcours::research {

inline constexpr std::int64_t kSuppressionThreshold = 5;

struct AggregateCell {
  std::string key;
  std::optional<std::int64_t> count;  // nullopt when suppressed
  bool suppressed = false;
};

struct AggregateTable {
  std::string by;
  std::vector<AggregateCell> cells;
  std::optional<std::int64_t> total;
};

// The cells of one dimension: one key per file.
std::vector<AggregateCell> suppressedCells(const std::vector<std::string>& keys);

// The table of dimension `by` (its keys in `keysOfBy`), given the keys of
// every dimension of the same files (`allDimensions`, `keysOfBy` among
// them) for the total rule above.
AggregateTable aggregateTable(const std::string& by, const std::vector<std::string>& keysOfBy,
                              const std::vector<std::vector<std::string>>& allDimensions);

}  // namespace parcours::research
