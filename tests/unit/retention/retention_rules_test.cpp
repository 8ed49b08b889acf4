#include "retention/retention_rules.h"

#include <catch2/catch.hpp>

#include "tests/support/test_time.h"

using namespace parcours;
using namespace parcours::retention;
using parcours::participants::Status;
using parcours::testing::day;

namespace {

const date::time_zone& montreal() {
  return core::findZone("America/Toronto");
}

// Noon in the program's zone on `d`.
core::Instant noonOn(core::LocalDate d) {
  return *core::toInstant(d, core::LocalTime{12 * 60}, montreal());
}

FileClosure file(std::int64_t id, Status status, core::LocalDate closedOn) {
  FileClosure f;
  f.id = core::ParticipantId(id);
  f.code = "P-" + std::to_string(id);
  f.status = status;
  f.lastUpdatedAt = noonOn(closedOn);
  if (status == Status::withdrawn) f.withdrawnAt = noonOn(closedOn);
  if (status == Status::ineligible) f.eligibilityDecidedAt = noonOn(closedOn);
  return f;
}

}  // namespace

TEST_CASE("each final status closes on the day of its own event", "[retention]") {
  FileClosure withdrawn = file(1, Status::withdrawn, day(2020, 5, 4));
  withdrawn.lastUpdatedAt = noonOn(day(2021, 1, 1));  // a later update does not move the closing day
  CHECK(closingDay(withdrawn, montreal()) == day(2020, 5, 4));

  FileClosure ineligible = file(2, Status::ineligible, day(2020, 6, 1));
  ineligible.lastUpdatedAt = noonOn(day(2022, 1, 1));
  CHECK(closingDay(ineligible, montreal()) == day(2020, 6, 1));

  CHECK(closingDay(file(3, Status::completed, day(2020, 7, 9)), montreal()) == day(2020, 7, 9));
}

TEST_CASE("open files and final files missing their instant never close", "[retention]") {
  for (const Status open : {Status::referred, Status::eligible, Status::enrolled, Status::in_therapy}) {
    FileClosure f = file(1, open, day(2000, 1, 1));
    f.withdrawnAt = noonOn(day(2000, 1, 1));
    f.eligibilityDecidedAt = noonOn(day(2000, 1, 1));
    CHECK_FALSE(closingDay(f, montreal()).has_value());
  }
  FileClosure withdrawn = file(2, Status::withdrawn, day(2000, 1, 1));
  withdrawn.withdrawnAt.reset();
  CHECK_FALSE(closingDay(withdrawn, montreal()).has_value());
}

TEST_CASE("the closing day is the program's day, not UTC's", "[retention]") {
  FileClosure f = file(1, Status::withdrawn, day(2020, 1, 1));
  // 2020-03-01 02:30 UTC is still 29 February in Montréal (UTC-5).
  f.withdrawnAt = date::sys_days{date::year{2020} / 3 / 1} + std::chrono::minutes(150);
  CHECK(closingDay(f, montreal()) == day(2020, 2, 29));
}

TEST_CASE("a file is due on the anniversary of its closing, not the day before", "[retention]") {
  CHECK(dueOn(day(2020, 3, 15), 7) == day(2027, 3, 15));
  const std::vector<FileClosure> files{file(1, Status::completed, day(2020, 3, 15))};
  CHECK(dueFiles(files, day(2027, 3, 14), 7, montreal()).empty());
  CHECK(dueFiles(files, day(2027, 3, 15), 7, montreal()).size() == 1);
  CHECK(dueFiles(files, day(2040, 1, 1), 7, montreal()).size() == 1);
}

TEST_CASE("29 February closes its retention on 28 February of a common year", "[retention]") {
  CHECK(dueOn(day(2020, 2, 29), 7) == day(2027, 2, 28));
  CHECK(dueOn(day(2020, 2, 29), 4) == day(2024, 2, 29));  // a leap year keeps the day
  const std::vector<FileClosure> files{file(1, Status::withdrawn, day(2020, 2, 29))};
  CHECK(dueFiles(files, day(2027, 2, 27), 7, montreal()).empty());
  CHECK(dueFiles(files, day(2027, 2, 28), 7, montreal()).size() == 1);
}

TEST_CASE("zero years: every closed file is due the day it closes", "[retention]") {
  const std::vector<FileClosure> files{file(1, Status::completed, day(2027, 3, 16)),
                                       file(2, Status::in_therapy, day(2027, 3, 16)),
                                       file(3, Status::ineligible, day(2027, 3, 16))};
  const auto due = dueFiles(files, day(2027, 3, 16), 0, montreal());
  REQUIRE(due.size() == 2);
  CHECK(due[0].id == core::ParticipantId(1));
  CHECK(due[0].closedOn == day(2027, 3, 16));
  CHECK(due[1].id == core::ParticipantId(3));
  CHECK(due[1].status == Status::ineligible);
  CHECK(due[1].code == "P-3");
}

TEST_CASE("only files whose anniversary has come are due, in the order given", "[retention]") {
  const std::vector<FileClosure> files{
      file(5, Status::withdrawn, day(2019, 12, 31)),  // due 2026-12-31
      file(6, Status::completed, day(2020, 1, 1)),    // due 2027-01-01
      file(7, Status::ineligible, day(2020, 1, 2)),   // due 2027-01-02: not yet
      file(8, Status::enrolled, day(2000, 1, 1)),     // open: never
  };
  const auto due = dueFiles(files, day(2027, 1, 1), 7, montreal());
  REQUIRE(due.size() == 2);
  CHECK(due[0].id == core::ParticipantId(5));
  CHECK(due[1].id == core::ParticipantId(6));
}
