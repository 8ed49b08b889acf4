#include "scheduler/calendar_store.h"

#include "scheduler/session_store.h"

namespace parcours::scheduler {

namespace {

WeeklyWindow windowFromRow(const storage::Row& row) {
  return {date::weekday{static_cast<unsigned>(row.int64(0) % 7)}, core::LocalTime{static_cast<int>(row.int64(1))},
          core::LocalTime{static_cast<int>(row.int64(2))}};
}

}  // namespace

CalendarStore::CalendarStore(const identity::KeyFileCipher& cipher) : cipher_(cipher) {}

std::vector<WeeklyWindow> CalendarStore::weekly(storage::Transaction& tx, core::PractitionerId practitioner) const {
  std::vector<WeeklyWindow> weekly;
  for (const auto& row : tx.query("SELECT weekday, start_minute, end_minute FROM availability"
                                  " WHERE practitioner_id = ? ORDER BY weekday, start_minute",
                                  {storage::id(practitioner)})) {
    weekly.push_back(windowFromRow(row));
  }
  return weekly;
}

void CalendarStore::replaceWeekly(storage::Transaction& tx, core::PractitionerId practitioner,
                                  const std::vector<WeeklyWindow>& weekly) const {
  tx.execute("DELETE FROM availability WHERE practitioner_id = ?", {storage::id(practitioner)});
  for (const auto& w : weekly) {
    tx.execute("INSERT INTO availability (practitioner_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)",
               {storage::id(practitioner), std::int64_t{w.weekday.iso_encoding()}, std::int64_t{w.start.minutes},
                std::int64_t{w.end.minutes}});
  }
}

std::vector<DateRange> CalendarStore::timeOff(storage::Transaction& tx, core::PractitionerId practitioner,
                                              core::LocalDate from, core::LocalDate to) const {
  std::vector<DateRange> ranges;
  for (const auto& row : tx.query("SELECT first_date, last_date FROM time_off WHERE practitioner_id = ?"
                                  " AND first_date <= ? AND last_date >= ?",
                                  {storage::id(practitioner), to, from})) {
    ranges.push_back({row.date(0), row.date(1)});
  }
  return ranges;
}

TimeOffId CalendarStore::insertTimeOff(storage::Transaction& tx, core::PractitionerId practitioner, DateRange range,
                                       const std::optional<std::string>& reason, core::Instant now) const {
  tx.execute("INSERT INTO time_off (practitioner_id, first_date, last_date, created_at) VALUES (?, ?, ?, ?)",
             {storage::id(practitioner), range.first, range.last, now});
  const auto id = tx.lastInsertId();
  // Free text about a person (a leave can say why): encrypted, bound to the row.
  if (reason) {
    tx.execute("UPDATE time_off SET reason_enc = ? WHERE id = ?",
               {storage::Blob{cipher_.encrypt(*reason, kTimeOffReasonContext, id)}, id});
  }
  return TimeOffId(id);
}

std::vector<Closure> CalendarStore::closures(storage::Transaction& tx, int year) const {
  const core::LocalDate first{date::year{year} / 1 / 1};
  const core::LocalDate last{date::year{year} / 12 / 31};
  std::vector<Closure> closures;
  for (const auto& row : tx.query("SELECT closed_on, name FROM closures WHERE closed_on >= ? AND closed_on <= ?"
                                  " ORDER BY closed_on",
                                  {first, last})) {
    closures.push_back({row.date(0), row.text(1), "closure"});
  }
  return closures;
}

bool CalendarStore::closedOn(storage::Transaction& tx, core::LocalDate day) const {
  return tx.queryOne("SELECT id FROM closures WHERE closed_on = ?", {day}).has_value();
}

void CalendarStore::insertClosure(storage::Transaction& tx, core::LocalDate day, const std::string& name,
                                  core::Instant now) const {
  tx.execute("INSERT INTO closures (closed_on, name, created_at) VALUES (?, ?, ?)", {day, name, now});
}

std::vector<Interval> CalendarStore::busy(storage::Transaction& tx, core::PractitionerId practitioner,
                                          std::optional<core::ParticipantId> participant, core::Instant from,
                                          core::Instant to, core::Instant earliestStart,
                                          std::optional<core::SessionId> ignore) const {
  const std::int64_t ignored = ignore ? ignore->value() : 0;
  // Everything that holds either person's time, in one statement: one
  // indexed range read per person (practitioner_id/participant_id,
  // start_at), bounded below as well, so the cost does not grow with the
  // history.
  std::string sql = std::string(
                        "SELECT start_at, end_at FROM sessions WHERE practitioner_id = ? AND start_at >= ?"
                        " AND start_at < ? AND end_at > ? AND id <> ? AND ") +
                    kHoldsTimeSql;
  storage::Params params{storage::id(practitioner), earliestStart, to, from, ignored};
  if (participant) {
    sql += std::string(
               " UNION ALL SELECT start_at, end_at FROM sessions WHERE participant_id = ? AND start_at >= ?"
               " AND start_at < ? AND end_at > ? AND id <> ? AND ") +
           kHoldsTimeSql +
           " UNION ALL SELECT g.start_at, g.end_at FROM seats s JOIN group_sessions g ON g.id = s.group_session_id"
           " WHERE s.participant_id = ? AND g.start_at < ? AND g.end_at > ?";
    for (const storage::Value& v :
         {storage::id(*participant), storage::Value(earliestStart), storage::Value(to), storage::Value(from),
          storage::Value(ignored), storage::id(*participant), storage::Value(to), storage::Value(from)}) {
      params.push_back(v);
    }
  }
  std::vector<Interval> busy;
  for (const auto& row : tx.query(sql, params)) busy.push_back({row.instant(0), row.instant(1)});
  return busy;
}

}  // namespace parcours::scheduler
