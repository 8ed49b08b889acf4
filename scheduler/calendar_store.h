#pragma once
// calendar_store — the SQL of what shapes a practitioner's calendar:
// weekly availability, time off, program closures, and the intervals that
// already hold either person's time (sessions and awareness-day seats).
// Every function runs inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "identity/key_file_cipher.h"
#include "scheduler/calendar_types.h"
#include "storage/database.h"

namespace parcours::scheduler {

class CalendarStore {
 public:
  // REQUIRES: cipher (for time-off reasons, encrypted at rest) outlives the store.
  explicit CalendarStore(const identity::KeyFileCipher& cipher);

  // By weekday (Monday first), then start.
  std::vector<WeeklyWindow> weekly(storage::Transaction& tx, core::PractitionerId practitioner) const;
  void replaceWeekly(storage::Transaction& tx, core::PractitionerId practitioner,
                     const std::vector<WeeklyWindow>& weekly) const;

  // The time off that meets [from, to].
  std::vector<DateRange> timeOff(storage::Transaction& tx, core::PractitionerId practitioner, core::LocalDate from,
                                 core::LocalDate to) const;
  // The reason, if any, is encrypted bound to the new row.
  TimeOffId insertTimeOff(storage::Transaction& tx, core::PractitionerId practitioner, DateRange range,
                          const std::optional<std::string>& reason, core::Instant now) const;

  // The program's own closures of a year (holidays are computed), by date.
  std::vector<Closure> closures(storage::Transaction& tx, int year) const;
  bool closedOn(storage::Transaction& tx, core::LocalDate day) const;
  void insertClosure(storage::Transaction& tx, core::LocalDate day, const std::string& name, core::Instant now) const;

  // The intervals that hold the practitioner's time (their sessions) and,
  // with a participant, the participant's (sessions and awareness-day
  // seats), meeting [from, to): cancellations and `ignore` excepted, in no
  // particular order. `earliestStart` bounds the indexed read from below
  // (no session lasts longer than from - earliestStart).
  std::vector<Interval> busy(storage::Transaction& tx, core::PractitionerId practitioner,
                             std::optional<core::ParticipantId> participant, core::Instant from, core::Instant to,
                             core::Instant earliestStart, std::optional<core::SessionId> ignore) const;

 private:
  const identity::KeyFileCipher& cipher_;
};

}  // namespace parcours::scheduler
