#pragma once
// Time values: instants are UTC `Instant` (date::sys_seconds); wall-clock
// values are `LocalDate` / `LocalTime` interpreted in a named IANA zone.
// Conversions that can fail say so by throwing core::Error(bad_request or
// unprocessable) with a message a client can act on.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

namespace parcours::core {

using Instant = date::sys_seconds;
using LocalDate = date::local_days;
// Minutes since local midnight, 0..1439.
struct LocalTime {
  int minutes = 0;
  auto operator<=>(const LocalTime&) const = default;
};

// A source of the current instant, passed in so domain code is testable.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};
class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

// RFC 3339 instant with any offset or Z ("2027-03-16T10:00:00-04:00",
// fractional seconds are accepted and truncated). Throws bad_request.
Instant parseInstant(std::string_view text);
// "2027-03-16T14:00:00Z".
std::string formatInstantUtc(Instant instant);
// The instant as wall time in `zone` with its offset: "2027-03-16T10:00:00-04:00".
std::string formatInstant(Instant instant, const date::time_zone& zone);

// "YYYY-MM-DD", years 1..9999, a real calendar date. Throws bad_request.
LocalDate parseDate(std::string_view text);
std::string formatDate(LocalDate day);
// "HH:MM", 00:00..23:59. Throws bad_request.
LocalTime parseLocalTime(std::string_view text);
std::string formatLocalTime(LocalTime time);

// Looks up an IANA zone name; throws unprocessable for an unknown zone.
const date::time_zone& findZone(std::string_view name);

// The instant at which local `day` + `time` happens in `zone`:
// - inside a spring-forward gap (the wall time does not exist) → nullopt;
// - inside a fall-back overlap (it happens twice) → the earlier instant.
std::optional<Instant> toInstant(LocalDate day, LocalTime time, const date::time_zone& zone);
// Same, but a nonexistent time throws core::Error(unprocessable, field).
Instant requireInstant(LocalDate day, LocalTime time, const date::time_zone& zone, std::string_view field = {});

// The local calendar date of an instant in a zone.
LocalDate localDateOf(Instant instant, const date::time_zone& zone);

}  // namespace parcours::core
