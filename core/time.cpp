#include "core/time.h"

#include <cstdio>
#include <stdexcept>

#include "core/error.h"

namespace parcours::core {

namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// The unsigned number written by text[pos, pos + count), all digits, or -1.
int digitsAt(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!isDigit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool charAt(std::string_view text, std::size_t pos, char expected) {
  return pos < text.size() && text[pos] == expected;
}

// "YYYY-MM-DD" at the start of `text`, years 1..9999, a real date.
std::optional<date::year_month_day> dateAt(std::string_view text) {
  const int y = digitsAt(text, 0, 4);
  const int m = digitsAt(text, 5, 2);
  const int d = digitsAt(text, 8, 2);
  if (y < 1 || m < 0 || d < 0 || !charAt(text, 4, '-') || !charAt(text, 7, '-')) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// "HH:MM" at `pos`, 00:00..23:59, as minutes.
std::optional<int> hoursMinutesAt(std::string_view text, std::size_t pos) {
  const int h = digitsAt(text, pos, 2);
  const int m = digitsAt(text, pos + 3, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || !charAt(text, pos + 2, ':')) return std::nullopt;
  return h * 60 + m;
}

std::string formatDateTime(date::local_seconds wall) {
  const auto day = date::floor<date::days>(wall);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> tod{wall - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  return buf;
}

[[noreturn]] void throwBadInstant(std::string_view text) {
  throw Error(ErrorCode::bad_request, "invalid timestamp '" + std::string(text) +
                                          "': expected RFC 3339 with an offset, e.g. 2027-03-16T10:00:00-04:00");
}

}  // namespace

Instant SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// Layout: YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)
//         0    5  8  11 14 17 19
Instant parseInstant(std::string_view text) {
  const auto ymd = dateAt(text);
  if (!ymd || !(charAt(text, 10, 'T') || charAt(text, 10, 't'))) throwBadInstant(text);
  const auto minuteOfDay = hoursMinutesAt(text, 11);
  const int second = digitsAt(text, 17, 2);
  if (!minuteOfDay || !charAt(text, 16, ':') || second < 0 || second > 59) throwBadInstant(text);

  std::size_t pos = 19;
  if (charAt(text, pos, '.')) {
    const std::size_t start = ++pos;
    while (pos < text.size() && isDigit(text[pos])) ++pos;
    if (pos == start) throwBadInstant(text);
  }

  std::chrono::minutes offset{0};
  if (charAt(text, pos, 'Z') || charAt(text, pos, 'z')) {
    ++pos;
  } else if (charAt(text, pos, '+') || charAt(text, pos, '-')) {
    const auto offsetMinutes = hoursMinutesAt(text, pos + 1);
    if (!offsetMinutes) throwBadInstant(text);
    offset = std::chrono::minutes{text[pos] == '-' ? -*offsetMinutes : *offsetMinutes};
    pos += 6;
  } else {
    throwBadInstant(text);
  }
  if (pos != text.size()) throwBadInstant(text);

  return date::sys_days{*ymd} + std::chrono::minutes{*minuteOfDay} + std::chrono::seconds{second} - offset;
}

std::string formatInstantUtc(Instant instant) {
  return formatDateTime(date::local_seconds{instant.time_since_epoch()}) + "Z";
}

std::string formatInstant(Instant instant, const date::time_zone& zone) {
  const date::sys_info info = zone.get_info(instant);
  // Real offsets stay within ±26 h; whole minutes (RFC 3339 has no seconds there).
  const auto offsetMinutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
  const int absMinutes = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "%c%02d:%02d", offsetMinutes < 0 ? '-' : '+', absMinutes / 60, absMinutes % 60);
  return formatDateTime(date::local_seconds{(instant + info.offset).time_since_epoch()}) + suffix;
}

LocalDate parseDate(std::string_view text) {
  const auto ymd = text.size() == 10 ? dateAt(text) : std::nullopt;
  if (!ymd) {
    throw Error(ErrorCode::bad_request,
                "invalid date '" + std::string(text) + "': expected YYYY-MM-DD, e.g. 2027-03-16");
  }
  return LocalDate{*ymd};
}

std::string formatDate(LocalDate day) {
  const date::year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
  }
  // By hand: dates are formatted for every row of every list.
  const auto month = static_cast<unsigned>(ymd.month());
  const auto dayOfMonth = static_cast<unsigned>(ymd.day());
  std::string text = "0000-00-00";
  text[0] = static_cast<char>('0' + year / 1000);
  text[1] = static_cast<char>('0' + year / 100 % 10);
  text[2] = static_cast<char>('0' + year / 10 % 10);
  text[3] = static_cast<char>('0' + year % 10);
  text[5] = static_cast<char>('0' + month / 10);
  text[6] = static_cast<char>('0' + month % 10);
  text[8] = static_cast<char>('0' + dayOfMonth / 10);
  text[9] = static_cast<char>('0' + dayOfMonth % 10);
  return text;
}

LocalTime parseLocalTime(std::string_view text) {
  const auto minutes = text.size() == 5 ? hoursMinutesAt(text, 0) : std::nullopt;
  if (!minutes) {
    throw Error(ErrorCode::bad_request, "invalid time '" + std::string(text) + "': expected HH:MM, 00:00 to 23:59");
  }
  return LocalTime{*minutes};
}

std::string formatLocalTime(LocalTime time) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", time.minutes / 60, time.minutes % 60);
  return buf;
}

const date::time_zone& findZone(std::string_view name) {
  // Loaded outside the try: a missing tz database is our failure, not the client's.
  (void)date::get_tzdb();
  try {
    return *date::locate_zone(name);
  } catch (const std::runtime_error&) {
    throw Error(ErrorCode::unprocessable,
                "unknown time zone '" + std::string(name) + "': expected an IANA name such as America/Toronto",
                "time_zone");
  }
}

std::optional<Instant> toInstant(LocalDate day, LocalTime time, const date::time_zone& zone) {
  const date::local_seconds wall = day + std::chrono::minutes{time.minutes};
  const date::local_info info = zone.get_info(wall);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      // For an ambiguous time `first` is the period before the change: the earlier instant.
      return Instant{wall.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent: break;
  }
  return std::nullopt;
}

Instant requireInstant(LocalDate day, LocalTime time, const date::time_zone& zone, std::string_view field) {
  if (const auto instant = toInstant(day, time, zone)) return *instant;
  throw Error(ErrorCode::unprocessable,
              formatDate(day) + " " + formatLocalTime(time) + " does not exist in " + std::string(zone.name()) +
                  " (clocks move forward at the daylight saving change)",
              std::string(field));
}

LocalDate localDateOf(Instant instant, const date::time_zone& zone) {
  return date::floor<date::days>(zone.to_local(instant));
}

}  // namespace parcours::core
