#include "core/time.h"

#include <catch2/catch.hpp>
#include <optional>

#include "core/error.h"

using parcours::core::Error;
using parcours::core::ErrorCode;
using parcours::core::findZone;
using parcours::core::formatDate;
using parcours::core::formatInstant;
using parcours::core::formatInstantUtc;
using parcours::core::formatLocalTime;
using parcours::core::Instant;
using parcours::core::LocalDate;
using parcours::core::localDateOf;
using parcours::core::LocalTime;
using parcours::core::parseDate;
using parcours::core::parseInstant;
using parcours::core::parseLocalTime;
using parcours::core::requireInstant;
using parcours::core::SystemClock;
using parcours::core::toInstant;

namespace {

template <class F>
std::optional<ErrorCode> errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return std::nullopt;
}

template <class F>
std::string fieldOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.fieldErrors().empty() ? std::string() : e.fieldErrors().front().field;
  }
  return "<no error>";
}

// An instant built independently of the parser under test.
Instant utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{hh} +
         std::chrono::minutes{mm} + std::chrono::seconds{ss};
}

LocalDate day(int y, unsigned m, unsigned d) {
  return LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

LocalTime at(int hh, int mm) {
  return LocalTime{hh * 60 + mm};
}

}  // namespace

TEST_CASE("parseInstant reads RFC 3339 with offsets", "[time]") {
  CHECK(parseInstant("2027-03-16T10:00:00-04:00") == utc(2027, 3, 16, 14, 0));
  CHECK(parseInstant("2027-03-16T14:00:00Z") == utc(2027, 3, 16, 14, 0));
  CHECK(parseInstant("2027-03-16t14:00:00z") == utc(2027, 3, 16, 14, 0));
  CHECK(parseInstant("2027-03-16T19:30:00+05:30") == utc(2027, 3, 16, 14, 0));
  CHECK(parseInstant("2027-03-16T00:00:00+00:00") == utc(2027, 3, 16, 0, 0));
  CHECK(parseInstant("2027-03-16T00:00:00-00:00") == utc(2027, 3, 16, 0, 0));
  CHECK(parseInstant("2027-03-16T01:00:00+23:59") == utc(2027, 3, 15, 1, 1));
  CHECK(parseInstant("2027-03-16T01:00:00-23:59") == utc(2027, 3, 17, 0, 59));
  CHECK(parseInstant("2028-02-29T23:59:59Z") == utc(2028, 2, 29, 23, 59, 59));
  CHECK(parseInstant("0001-01-01T00:00:00Z") == utc(1, 1, 1, 0, 0));
  CHECK(parseInstant("9999-12-31T23:59:59Z") == utc(9999, 12, 31, 23, 59, 59));
}

TEST_CASE("parseInstant truncates fractional seconds", "[time]") {
  CHECK(parseInstant("2027-03-16T14:00:05.999Z") == utc(2027, 3, 16, 14, 0, 5));
  CHECK(parseInstant("2027-03-16T14:00:05.1-04:00") == utc(2027, 3, 16, 18, 0, 5));
  CHECK(parseInstant("2027-03-16T14:00:05.123456789+05:30") == utc(2027, 3, 16, 8, 30, 5));
}

TEST_CASE("parseInstant rejects malformed text with bad_request", "[time]") {
  for (const char* bad : {
           "",
           "2027-03-16",
           "2027-03-16T10:00:00",     // missing offset
           "2027-03-16T10:00-04:00",  // missing seconds
           "2027-03-16 10:00:00Z",    // space separator
           "2027-02-30T10:00:00Z",    // no such date
           "2027-02-29T10:00:00Z",    // not a leap year
           "2027-13-01T10:00:00Z",
           "2027-00-10T10:00:00Z",
           "2027-03-00T10:00:00Z",
           "2027-03-16T24:00:00Z",
           "2027-03-16T25:00:00Z",
           "2027-03-16T10:60:00Z",
           "2027-03-16T10:00:60Z",
           "0000-03-16T10:00:00Z",
           "10000-03-16T10:00:00Z",
           "2027-03-16T10:00:00+24:00",
           "2027-03-16T10:00:00+04:60",
           "2027-03-16T10:00:00+0400",
           "2027-03-16T10:00:00+04",
           "2027-03-16T10:00:00.Z",
           "2027-03-16T10:00:00Zjunk",
           "2027-03-16T10:00:00-04:00 ",
           " 2027-03-16T10:00:00Z",
           "2027-3-16T10:00:00Z",
           "2027-03-16T1:00:00Z",
           "2027-03-16T10:00:00UTC",
           "+2027-03-16T10:00:00Z",
       }) {
    INFO("text: '" << bad << "'");
    CHECK(errorOf([&] { (void)parseInstant(bad); }) == ErrorCode::bad_request);
  }
}

TEST_CASE("formatInstantUtc", "[time]") {
  CHECK(formatInstantUtc(utc(2027, 3, 16, 14, 0)) == "2027-03-16T14:00:00Z");
  CHECK(formatInstantUtc(utc(2027, 1, 2, 3, 4, 5)) == "2027-01-02T03:04:05Z");
  CHECK(formatInstantUtc(utc(1, 1, 1, 0, 0)) == "0001-01-01T00:00:00Z");
}

TEST_CASE("formatInstant shows local time with its offset", "[time]") {
  const auto& toronto = findZone("America/Toronto");
  CHECK(formatInstant(utc(2027, 3, 16, 14, 0), toronto) == "2027-03-16T10:00:00-04:00");
  CHECK(formatInstant(utc(2027, 3, 9, 15, 0), toronto) == "2027-03-09T10:00:00-05:00");
  CHECK(formatInstant(utc(2027, 3, 16, 14, 0), findZone("Asia/Kolkata")) == "2027-03-16T19:30:00+05:30");
  // UTC is "+00:00", never "Z".
  CHECK(formatInstant(utc(2027, 3, 16, 14, 0), findZone("Etc/UTC")) == "2027-03-16T14:00:00+00:00");
  // Crossing midnight backwards into the previous day.
  CHECK(formatInstant(utc(2027, 3, 1, 2, 0), toronto) == "2027-02-28T21:00:00-05:00");
}

TEST_CASE("parseInstant and formatting round trip", "[time]") {
  const auto& toronto = findZone("America/Toronto");
  const auto& kolkata = findZone("Asia/Kolkata");
  for (const char* text : {"2027-03-16T10:00:00-04:00", "2027-11-07T01:30:00-05:00"}) {
    CHECK(formatInstant(parseInstant(text), toronto) == text);
  }
  CHECK(formatInstant(parseInstant("2027-03-16T19:30:00+05:30"), kolkata) == "2027-03-16T19:30:00+05:30");
  CHECK(formatInstantUtc(parseInstant("2027-03-16T19:30:00+05:30")) == "2027-03-16T14:00:00Z");
  CHECK(formatInstantUtc(parseInstant("2027-03-16T14:00:00Z")) == "2027-03-16T14:00:00Z");
  const Instant i = utc(2027, 7, 1, 12, 34, 56);
  CHECK(parseInstant(formatInstantUtc(i)) == i);
  CHECK(parseInstant(formatInstant(i, toronto)) == i);
  CHECK(parseInstant(formatInstant(i, kolkata)) == i);
}

TEST_CASE("parseDate and formatDate", "[time]") {
  CHECK(parseDate("2027-03-16") == day(2027, 3, 16));
  CHECK(parseDate("2028-02-29") == day(2028, 2, 29));
  CHECK(parseDate("0001-01-01") == day(1, 1, 1));
  CHECK(parseDate("9999-12-31") == day(9999, 12, 31));
  CHECK(formatDate(day(2027, 3, 6)) == "2027-03-06");
  CHECK(formatDate(parseDate("0042-07-04")) == "0042-07-04");

  for (const char* bad : {"", "2027-3-16", "2027-03-6", "27-03-16", "2027/03/16", "2027-02-30", "2027-02-29",
                          "2027-13-01", "2027-00-01", "2027-01-00", "0000-01-01", "10000-01-01", "2027-03-16T",
                          " 2027-03-16", "2027-03-16 ", "2027-0a-16", "+027-03-16", "2027-03-1-"}) {
    INFO("text: '" << bad << "'");
    CHECK(errorOf([&] { (void)parseDate(bad); }) == ErrorCode::bad_request);
  }
}

TEST_CASE("parseLocalTime and formatLocalTime", "[time]") {
  CHECK(parseLocalTime("00:00").minutes == 0);
  CHECK(parseLocalTime("09:05").minutes == 545);
  CHECK(parseLocalTime("23:59").minutes == 1439);
  CHECK(formatLocalTime(LocalTime{545}) == "09:05");
  CHECK(formatLocalTime(parseLocalTime("23:59")) == "23:59");
  CHECK(parseLocalTime("10:00") < parseLocalTime("10:01"));

  for (const char* bad : {"", "24:00", "25:00", "12:60", "9:05", "09:5", "0905", "09:05:00", "09-05", " 9:05", "09:05 ",
                          "ab:cd", "-1:00"}) {
    INFO("text: '" << bad << "'");
    CHECK(errorOf([&] { (void)parseLocalTime(bad); }) == ErrorCode::bad_request);
  }
}

TEST_CASE("findZone", "[time]") {
  CHECK(findZone("America/Toronto").name() == "America/Toronto");
  CHECK(findZone("Europe/Paris").name() == "Europe/Paris");
  CHECK(errorOf([] { (void)findZone("Mars/Olympus_Mons"); }) == ErrorCode::unprocessable);
  CHECK(fieldOf([] { (void)findZone("Mars/Olympus_Mons"); }) == "time_zone");
  CHECK(errorOf([] { (void)findZone(""); }) == ErrorCode::unprocessable);
}

TEST_CASE("toInstant across daylight saving time in Toronto", "[time][dst]") {
  const auto& toronto = findZone("America/Toronto");

  SECTION("before and after spring forward") {
    CHECK(toInstant(day(2027, 3, 9), at(10, 0), toronto) == utc(2027, 3, 9, 15, 0));
    CHECK(toInstant(day(2027, 3, 16), at(10, 0), toronto) == utc(2027, 3, 16, 14, 0));
  }
  SECTION("the spring gap does not exist") {
    CHECK(toInstant(day(2027, 3, 14), at(2, 30), toronto) == std::nullopt);
    CHECK(toInstant(day(2027, 3, 14), at(2, 0), toronto) == std::nullopt);
    CHECK(toInstant(day(2027, 3, 14), at(1, 59), toronto) == utc(2027, 3, 14, 6, 59));
    CHECK(toInstant(day(2027, 3, 14), at(3, 0), toronto) == utc(2027, 3, 14, 7, 0));
  }
  SECTION("the fall overlap resolves to the earlier instant (EDT)") {
    CHECK(toInstant(day(2027, 11, 7), at(1, 30), toronto) == utc(2027, 11, 7, 5, 30));
    CHECK(toInstant(day(2027, 11, 7), at(0, 59), toronto) == utc(2027, 11, 7, 4, 59));
    CHECK(toInstant(day(2027, 11, 7), at(2, 0), toronto) == utc(2027, 11, 7, 7, 0));
  }
  SECTION("a zone without DST") {
    CHECK(toInstant(day(2027, 3, 16), at(19, 30), findZone("Asia/Kolkata")) == utc(2027, 3, 16, 14, 0));
  }
}

TEST_CASE("requireInstant throws unprocessable in the gap", "[time][dst]") {
  const auto& toronto = findZone("America/Toronto");
  CHECK(requireInstant(day(2027, 3, 16), at(10, 0), toronto) == utc(2027, 3, 16, 14, 0));
  CHECK(requireInstant(day(2027, 11, 7), at(1, 30), toronto) == utc(2027, 11, 7, 5, 30));
  CHECK(errorOf([&] { (void)requireInstant(day(2027, 3, 14), at(2, 30), toronto, "starts_at"); }) ==
        ErrorCode::unprocessable);
  CHECK(fieldOf([&] { (void)requireInstant(day(2027, 3, 14), at(2, 30), toronto, "starts_at"); }) == "starts_at");
  CHECK(fieldOf([&] { (void)requireInstant(day(2027, 3, 14), at(2, 30), toronto); }).empty());
}

TEST_CASE("localDateOf", "[time]") {
  const auto& toronto = findZone("America/Toronto");
  CHECK(localDateOf(utc(2027, 3, 16, 14, 0), toronto) == day(2027, 3, 16));
  // 02:00 UTC is still the previous evening in Toronto.
  CHECK(localDateOf(utc(2027, 3, 17, 2, 0), toronto) == day(2027, 3, 16));
  CHECK(localDateOf(utc(2027, 3, 17, 4, 0), toronto) == day(2027, 3, 17));
  CHECK(localDateOf(utc(2027, 3, 16, 20, 0), findZone("Asia/Kolkata")) == day(2027, 3, 17));
}

TEST_CASE("SystemClock::now is whole seconds near the system clock", "[time]") {
  const auto before = std::chrono::system_clock::now();
  const Instant now = SystemClock().now();
  const auto after = std::chrono::system_clock::now();
  CHECK(now <= after);
  CHECK(now > before - std::chrono::seconds{1});
  CHECK(now == std::chrono::floor<std::chrono::seconds>(now));
}
