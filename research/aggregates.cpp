#include "research/aggregates.h"

#include <algorithm>
#include <map>

namespace parcours::research {

std::vector<AggregateCell> suppressedCells(const std::vector<std::string>& keys) {
  std::map<std::string, std::int64_t> counts;
  for (const auto& key : keys) ++counts[key];
  std::vector<AggregateCell> cells;
  for (const auto& [key, count] : counts) {
    const bool suppressed = count < kSuppressionThreshold;
    cells.push_back({key, suppressed ? std::nullopt : std::optional(count), suppressed});
  }
  return cells;
}

AggregateTable aggregateTable(const std::string& by, const std::vector<std::string>& keysOfBy,
                              const std::vector<std::vector<std::string>>& allDimensions) {
  AggregateTable table{by, suppressedCells(keysOfBy), std::nullopt};
  const auto anySuppressed = [](const std::vector<AggregateCell>& cells) {
    return std::any_of(cells.begin(), cells.end(), [](const AggregateCell& c) { return c.suppressed; });
  };
  bool withheld = anySuppressed(table.cells);
  for (const auto& keys : allDimensions) withheld = withheld || anySuppressed(suppressedCells(keys));
  if (!withheld) table.total = static_cast<std::int64_t>(keysOfBy.size());
  return table;
}

}  // namespace parcours::research
