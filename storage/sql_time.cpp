#include "storage/sql_time.h"

#include <cstdio>

#include "storage/database.h"

namespace parcours::storage {

std::string formatSqlInstant(core::Instant instant) {
  return date::format("%Y-%m-%d %H:%M:%S", instant);
}

core::Instant parseSqlInstant(std::string_view text) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%d-%u-%u %u:%u:%u", &y, &mo, &d, &h, &mi, &s) != 6) {
    throw DatabaseError("not a SQL timestamp: " + copy);
  }
  const date::year_month_day ymd{date::year{y}, date::month{mo}, date::day{d}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) throw DatabaseError("not a SQL timestamp: " + copy);
  return date::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

}  // namespace parcours::storage
