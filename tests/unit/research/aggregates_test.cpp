#include "research/aggregates.h"

#include <catch2/catch.hpp>

#include <random>

using namespace parcours::research;

namespace {
std::vector<std::string> repeated(std::initializer_list<std::pair<const char*, int>> counts) {
  std::vector<std::string> keys;
  for (const auto& [key, n] : counts) keys.insert(keys.end(), static_cast<std::size_t>(n), key);
  return keys;
}
}  // namespace

TEST_CASE("cells under 5 are suppressed, 5 and more are shown, keys in order") {
  const auto cells = suppressedCells(repeated({{"withdrawn", 4}, {"completed", 5}, {"ineligible", 12}}));
  REQUIRE(cells.size() == 3);
  CHECK(cells[0].key == "completed");
  CHECK(cells[0].count == 5);
  CHECK_FALSE(cells[0].suppressed);
  CHECK(cells[1].key == "ineligible");
  CHECK(cells[1].count == 12);
  CHECK(cells[2].key == "withdrawn");
  CHECK_FALSE(cells[2].count.has_value());
  CHECK(cells[2].suppressed);
}

TEST_CASE("the total is shown only when no dimension suppresses a cell") {
  const auto outcome = repeated({{"completed", 6}, {"withdrawn", 5}});
  const auto month = repeated({{"2027-01", 7}, {"2027-02", 4}});
  const auto band = repeated({{"25-34", 11}});
  SECTION("a suppressed cell in the table itself") {
    const auto table = aggregateTable("month", month, {outcome, month, band});
    CHECK_FALSE(table.total.has_value());
  }
  SECTION("a suppressed cell in another table: the shared total would give it back") {
    const auto table = aggregateTable("outcome", outcome, {outcome, month, band});
    CHECK(table.cells[0].count == 6);
    CHECK_FALSE(table.total.has_value());
  }
  SECTION("nothing suppressed anywhere") {
    const auto months = repeated({{"2027-01", 6}, {"2027-02", 5}});
    const auto table = aggregateTable("outcome", outcome, {outcome, months, band});
    CHECK(table.total == 11);
  }
}

TEST_CASE("random tables - no suppressed count can be recomputed from what is shown") {
  std::mt19937 random(20261202);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::vector<std::string>> dims(3);
    const int files = static_cast<int>(random() % 60);
    for (int f = 0; f < files; ++f) {
      for (std::size_t d = 0; d < 3; ++d)
        dims[d].push_back(std::string(1, static_cast<char>('a' + random() % (3 + d * 3))));
    }
    for (std::size_t d = 0; d < 3; ++d) {
      const auto table = aggregateTable("x", dims[d], dims);
      bool suppressed = false;
      std::int64_t shown = 0;
      for (const auto& c : table.cells) {
        CHECK(c.suppressed == !c.count.has_value());
        if (c.count) {
          CHECK(*c.count >= kSuppressionThreshold);
          shown += *c.count;
        }
        suppressed = suppressed || c.suppressed;
      }
      if (suppressed) CHECK_FALSE(table.total.has_value());
      if (table.total) CHECK(*table.total == shown);  // published totals hide nothing
      for (std::size_t other = 0; other < 3; ++other) {
        const auto next = aggregateTable("y", dims[other], dims);
        if (suppressed) CHECK_FALSE(next.total.has_value());  // nor does any other table's
      }
    }
  }
}
