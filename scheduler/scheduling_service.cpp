#include "scheduler/scheduling_service.h"

#include <algorithm>
#include <array>
#include <set>

#include "identity/audit_log.h"
#include "identity/token.h"
#include "scheduler/availability.h"
#include "scheduler/calendar_locks.h"
#include "scheduler/holidays.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;
using participants::Status;

struct Practitioner {
  std::int64_t id;
  const date::time_zone* zone;
  int sessionMinutes;
  int bufferMinutes;
};

namespace {

// The practitioner's zone and the participant's code come with the row, so
// a session (or a list of them) is one read.
constexpr const char* kSessionColumns =
    "SELECT s.id, s.practitioner_id, s.participant_id, s.plan_id, s.start_at, s.end_at, s.status, s.cancelled_by,"
    " s.cancel_reason_enc, s.sequence, s.updated_at, p.time_zone, pa.code, s.cancel_reason FROM sessions s"
    " JOIN practitioners p ON p.id = s.practitioner_id JOIN participants pa ON pa.id = s.participant_id";
// Sessions that hold their time: everything but cancellations.
constexpr const char* kActive = "status NOT IN ('cancelled', 'late_cancelled')";
constexpr const char* kCancelReasonContext = "sessions.cancel_reason";
constexpr const char* kTimeOffReasonContext = "time_off.reason";

Practitioner practitionerIn(storage::Transaction& tx, std::int64_t id) {
  const auto row =
      tx.queryOne("SELECT time_zone, session_minutes, buffer_minutes FROM practitioners WHERE id = ?", {id});
  if (!row) throw Error(ErrorCode::not_found, "no such practitioner", "practitioner_id");
  return {id, &core::findZone(row->text(0)), static_cast<int>(row->int64(1)), static_cast<int>(row->int64(2))};
}

int isoWeekday(date::weekday day) {
  return static_cast<int>(day.iso_encoding());
}  // 1 = Monday

std::string conflictsJson(const std::vector<SessionView>& sessions, const date::time_zone& zone) {
  std::string json = "[";
  for (const auto& s : sessions) {
    if (json.size() > 1) json += ',';
    json += "{\"id\":" + core::jsonQuote(std::to_string(s.id)) +
            ",\"start\":" + core::jsonQuote(core::formatInstant(s.slot.start, zone)) + "}";
  }
  return json + "]";
}

void requireSchedulable(const participants::ParticipantService::Summary& summary) {
  if (summary.status != Status::enrolled && summary.status != Status::in_therapy) {
    throw Error(ErrorCode::conflict, "only an enrolled participant can be scheduled")
        .withMember("current_status", core::jsonQuote(participants::toString(summary.status)));
  }
}

}  // namespace

// The reason is clinical free text: encrypted, bound to the session's row.
// A row cancelled before that still holds it in clear (cancel_reason) until
// sealClearReasons runs at start.
SessionView SchedulingService::sessionFromRow(const storage::Row& row) const {
  SessionView s;
  s.id = row.int64(0);
  s.practitionerId = row.int64(1);
  s.participantId = row.int64(2);
  s.planId = row.optInt64(3);
  s.slot = {row.instant(4), row.instant(5)};
  s.status = sessionStatusFromString(row.text(6)).value_or(SessionStatus::scheduled);
  s.cancelledBy = row.optText(7);
  s.cancelReason = row.isNull(8) ? row.optText(13) : cipher_.decrypt(row.blob(8), kCancelReasonContext, s.id);
  s.sequence = static_cast<int>(row.int64(9));
  s.updatedAt = row.instant(10);
  s.zone = &core::findZone(row.text(11));
  s.participantCode = row.text(12);
  return s;
}

namespace {

// Nothing is booked or moved into the past (a session that never took
// place could otherwise be marked attended): 422 naming the field.
void requireNotPast(core::Instant start, core::Instant now, const char* field) {
  if (start < now) throw Error(ErrorCode::unprocessable, "must not be in the past", field);
}

std::chrono::minutes sessionLength(std::optional<int> requested, const Practitioner& p) {
  const int minutes = requested.value_or(p.sessionMinutes);
  if (minutes < 30 || minutes > 120) throw Error(ErrorCode::unprocessable, "must be 30 to 120", "minutes");
  return std::chrono::minutes(minutes);
}

}  // namespace

std::string_view toString(SessionStatus status) {
  switch (status) {
    case SessionStatus::scheduled: return "scheduled";
    case SessionStatus::attended: return "attended";
    case SessionStatus::no_show: return "no_show";
    case SessionStatus::excused: return "excused";
    case SessionStatus::cancelled: return "cancelled";
    case SessionStatus::late_cancelled: return "late_cancelled";
  }
  return "scheduled";
}

std::optional<SessionStatus> sessionStatusFromString(std::string_view text) {
  for (const auto s : {SessionStatus::scheduled, SessionStatus::attended, SessionStatus::no_show,
                       SessionStatus::excused, SessionStatus::cancelled, SessionStatus::late_cancelled}) {
    if (toString(s) == text) return s;
  }
  return std::nullopt;
}

SchedulingService::SchedulingService(storage::Database& database, const identity::KeyFileCipher& cipher,
                                     const core::Clock& clock, const date::time_zone& programZone,
                                     const participants::ParticipantService& participants, SchedulingOptions options)
    : database_(database),
      cipher_(cipher),
      clock_(clock),
      programZone_(programZone),
      participants_(participants),
      options_(options) {}

int SchedulingService::sealClearReasons() {
  // table, clear column, encrypted column, context
  const std::array<std::array<const char*, 4>, 2> columns{{
      {"sessions", "cancel_reason", "cancel_reason_enc", kCancelReasonContext},
      {"time_off", "reason", "reason_enc", kTimeOffReasonContext},
  }};
  int sealed = 0;
  for (const auto& [table, clear, encrypted, context] : columns) {
    const std::string select = std::string("SELECT id, ") + clear + " FROM " + table + " WHERE " + clear +
                               " IS NOT NULL ORDER BY id LIMIT 100";
    const std::string update = std::string("UPDATE ") + table + " SET " + encrypted + " = ?, " + clear +
                               " = NULL WHERE id = ? AND " + clear + " = ?";
    for (;;) {
      const int done = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
        int n = 0;
        for (const auto& row : tx.query(select)) {
          const std::int64_t id = row.int64(0);
          n += static_cast<int>(
              tx.execute(update, {storage::Blob{cipher_.encrypt(row.text(1), context, id)}, id, row.text(1)}));
        }
        return n;
      });
      sealed += done;
      if (done == 0) break;
    }
  }
  return sealed;
}

// --- calendars ---------------------------------------------------------------

void SchedulingService::setAvailability(std::int64_t practitionerId, const std::vector<WeeklyWindow>& weekly,
                                        const identity::AuditContext& context) {
  for (std::size_t i = 0; i < weekly.size(); ++i) {
    if (weekly[i].end <= weekly[i].start) {
      throw Error(ErrorCode::unprocessable, "end must be after start", "weekly[" + std::to_string(i) + "].end");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (weekly[j].weekday == weekly[i].weekday && weekly[j].start < weekly[i].end &&
          weekly[i].start < weekly[j].end) {
        throw Error(ErrorCode::unprocessable, "windows of one weekday must not overlap",
                    "weekly[" + std::to_string(i) + "]");
      }
    }
  }
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    practitionerIn(tx, practitionerId);
    tx.execute("DELETE FROM availability WHERE practitioner_id = ?", {practitionerId});
    for (const auto& w : weekly) {
      tx.execute("INSERT INTO availability (practitioner_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)",
                 {practitionerId, std::int64_t{isoWeekday(w.weekday)}, std::int64_t{w.start.minutes},
                  std::int64_t{w.end.minutes}});
    }
    identity::recordAudit(tx,
                          {context.actorUserId, "availability.set", "practitioner", std::to_string(practitionerId),
                           context.requestId, std::to_string(weekly.size()) + " windows"},
                          now);
  });
}

std::vector<WeeklyWindow> SchedulingService::availability(std::int64_t practitionerId) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    practitionerIn(tx, practitionerId);
    std::vector<WeeklyWindow> weekly;
    for (const auto& row : tx.query("SELECT weekday, start_minute, end_minute FROM availability"
                                    " WHERE practitioner_id = ? ORDER BY weekday, start_minute",
                                    {practitionerId})) {
      weekly.push_back({date::weekday{static_cast<unsigned>(row.int64(0) % 7)},
                        core::LocalTime{static_cast<int>(row.int64(1))},
                        core::LocalTime{static_cast<int>(row.int64(2))}});
    }
    return weekly;
  });
}

std::int64_t SchedulingService::addTimeOff(std::int64_t practitionerId, DateRange range,
                                           const std::optional<std::string>& reason,
                                           const identity::AuditContext& context) {
  if (range.last < range.first) throw Error(ErrorCode::unprocessable, "must not be before start_date", "end_date");
  if (range.last - range.first > date::days(366)) {
    throw Error(ErrorCode::unprocessable, "time off longer than a year", "end_date");
  }
  if (reason && reason->size() > 500) throw Error(ErrorCode::unprocessable, "at most 500 bytes", "reason");
  ensureLockRows(practitionerId, 0);
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const Practitioner p = practitionerIn(tx, practitionerId);
    lockCalendars(tx, practitionerId, 0);
    const auto from = *core::toInstant(range.first, {0}, *p.zone);
    const auto to = *core::toInstant(range.last + date::days(1), {0}, *p.zone);
    std::vector<SessionView> inside;
    for (const auto& row :
         tx.query(std::string(kSessionColumns) + " WHERE s.practitioner_id = ? AND s.status = 'scheduled'"
                                                 " AND s.start_at < ? AND s.end_at > ? ORDER BY s.start_at",
                  {practitionerId, to, from})) {
      inside.push_back(sessionFromRow(row));
    }
    if (!inside.empty()) {
      throw Error(ErrorCode::conflict, "active sessions fall inside the time off")
          .withMember("conflicts", conflictsJson(inside, *p.zone));
    }
    tx.execute("INSERT INTO time_off (practitioner_id, first_date, last_date, created_at) VALUES (?, ?, ?, ?)",
               {practitionerId, core::formatDate(range.first), core::formatDate(range.last), now});
    const auto id = tx.lastInsertId();
    // Free text about a person (a leave can say why): encrypted, bound to the row.
    if (reason) {
      tx.execute("UPDATE time_off SET reason_enc = ? WHERE id = ?",
                 {storage::Blob{cipher_.encrypt(*reason, kTimeOffReasonContext, id)}, id});
    }
    identity::recordAudit(tx,
                          {context.actorUserId, "time_off.create", "practitioner", std::to_string(practitionerId),
                           context.requestId, core::formatDate(range.first) + ".." + core::formatDate(range.last)},
                          now);
    return id;
  });
}

Closure SchedulingService::addClosure(core::LocalDate day, const std::string& name,
                                      const identity::AuditContext& context) {
  if (name.empty() || name.size() > 200) throw Error(ErrorCode::unprocessable, "1 to 200 bytes", "name");
  const auto now = clock_.now();
  const Closure closure = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    if (tx.queryOne("SELECT id FROM closures WHERE closed_on = ?", {core::formatDate(day)})) {
      throw Error(ErrorCode::conflict, "the program is already closed that day", "date");
    }
    tx.execute("INSERT INTO closures (closed_on, name, created_at) VALUES (?, ?, ?)",
               {core::formatDate(day), name, now});
    identity::recordAudit(
        tx, {context.actorUserId, "closure.create", "closure", core::formatDate(day), context.requestId, ""}, now);
    return Closure{day, name, "closure"};
  });
  // This daemon's own list shows the new closure at once.
  std::lock_guard lock(closuresMutex_);
  closuresByYear_.erase(static_cast<int>(date::year_month_day{day}.year()));
  return closure;
}

std::vector<Closure> SchedulingService::closuresIn(storage::Transaction& tx, int year) const {
  std::vector<Closure> all = quebecHolidays(year);
  const auto first = core::formatDate(date::local_days{date::year{year} / 1 / 1});
  const auto last = core::formatDate(date::local_days{date::year{year} / 12 / 31});
  for (const auto& row : tx.query("SELECT closed_on, name FROM closures WHERE closed_on >= ? AND closed_on <= ?"
                                  " ORDER BY closed_on",
                                  {first, last})) {
    all.push_back({core::parseDate(row.text(0).substr(0, 10)), row.text(1), "closure"});
  }
  std::stable_sort(all.begin(), all.end(), [](const Closure& a, const Closure& b) { return a.date < b.date; });
  return all;
}

std::vector<Closure> SchedulingService::closures(int year) {
  const auto now = clock_.now();
  {
    std::lock_guard lock(closuresMutex_);
    const auto found = closuresByYear_.find(year);
    if (found != closuresByYear_.end() && found->second.until > now) return found->second.list;
  }
  auto list = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return closuresIn(tx, year); });
  std::lock_guard lock(closuresMutex_);
  if (closuresByYear_.size() > 64) closuresByYear_.clear();  // years asked for are few; bound them anyway
  closuresByYear_[year] = {list, now + options_.closureListSeconds};
  return list;
}

// --- slot search -------------------------------------------------------------

CalendarInput SchedulingService::calendarIn(storage::Transaction& tx, const Practitioner& p, core::LocalDate from,
                                            core::LocalDate to, std::optional<std::int64_t> participantId,
                                            std::optional<std::int64_t> ignoreSession) const {
  const std::int64_t practitionerId = p.id;
  CalendarInput input;
  input.zone = p.zone;
  input.buffer = std::chrono::minutes(p.bufferMinutes);
  input.granularity = options_.granularity;
  input.notBefore = clock_.now();  // no slot in the past is offered, placed or bookable
  for (const auto& row : tx.query(
           "SELECT weekday, start_minute, end_minute FROM availability WHERE practitioner_id = ?", {practitionerId})) {
    input.weekly.push_back({date::weekday{static_cast<unsigned>(row.int64(0) % 7)},
                            core::LocalTime{static_cast<int>(row.int64(1))},
                            core::LocalTime{static_cast<int>(row.int64(2))}});
  }
  for (const auto& row : tx.query("SELECT first_date, last_date FROM time_off WHERE practitioner_id = ?"
                                  " AND first_date <= ? AND last_date >= ?",
                                  {practitionerId, core::formatDate(to), core::formatDate(from)})) {
    input.timeOff.push_back({core::parseDate(row.text(0).substr(0, 10)), core::parseDate(row.text(1).substr(0, 10))});
  }
  const int firstYear = static_cast<int>(date::year_month_day{from}.year());
  const int lastYear = static_cast<int>(date::year_month_day{to}.year());
  for (int year = firstYear; year <= lastYear; ++year) {
    for (const auto& closure : closuresIn(tx, year)) input.closedDates.push_back(closure.date);
  }
  // Sessions a day beyond the range on both sides: zones and buffers reach over midnight.
  const auto fromInstant = date::sys_days{from.time_since_epoch()} - date::days(2);
  const auto toInstant = date::sys_days{to.time_since_epoch()} + date::days(3);
  // One indexed range read per person (practitioner_id/participant_id,
  // start_at): bounded below as well, so the cost does not grow with the
  // history. No session or seat lasts a day, hence the day of margin.
  const auto earliestStart = core::Instant{fromInstant} - date::days(1);
  // Everything that holds either person's time, in one statement: the
  // practitioner's sessions, the participant's sessions and the
  // participant's awareness-day seats.
  std::string sql = std::string(
                        "SELECT start_at, end_at FROM sessions WHERE practitioner_id = ? AND start_at >= ?"
                        " AND start_at < ? AND end_at > ? AND id <> ? AND ") +
                    kActive;
  storage::Params params{practitionerId, earliestStart, core::Instant{toInstant}, core::Instant{fromInstant},
                         ignoreSession.value_or(0)};
  if (participantId) {
    sql += std::string(
               " UNION ALL SELECT start_at, end_at FROM sessions WHERE participant_id = ? AND start_at >= ?"
               " AND start_at < ? AND end_at > ? AND id <> ? AND ") +
           kActive +
           " UNION ALL SELECT g.start_at, g.end_at FROM seats s JOIN group_sessions g ON g.id = s.group_session_id"
           " WHERE s.participant_id = ? AND g.start_at < ? AND g.end_at > ?";
    for (const storage::Value& v :
         {storage::Value(*participantId), storage::Value(earliestStart), storage::Value(core::Instant{toInstant}),
          storage::Value(core::Instant{fromInstant}), storage::Value(ignoreSession.value_or(0)),
          storage::Value(*participantId), storage::Value(core::Instant{toInstant}),
          storage::Value(core::Instant{fromInstant})}) {
      params.push_back(v);
    }
  }
  for (const auto& row : tx.query(sql, params)) input.busy.push_back({row.instant(0), row.instant(1)});
  std::sort(input.busy.begin(), input.busy.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  return input;
}

std::vector<Interval> SchedulingService::freeSlots(std::int64_t practitionerId, core::LocalDate from,
                                                   core::LocalDate to, std::optional<int> minutes) {
  if (to < from) throw Error(ErrorCode::unprocessable, "must not be before from", "to");
  if (to - from > date::days(92)) throw Error(ErrorCode::unprocessable, "at most 92 days at once", "to");
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    const Practitioner p = practitionerIn(tx, practitionerId);
    const CalendarInput input = calendarIn(tx, p, from, to, std::nullopt, std::nullopt);
    return findFreeSlots(input, from, to, sessionLength(minutes, p));
  });
}

// --- bookings ----------------------------------------------------------------

namespace {
std::vector<std::string> lockNames(std::int64_t practitionerId, std::int64_t participantId) {
  std::vector<std::string> names;
  if (practitionerId) names.push_back(practitionerLock(practitionerId));
  if (participantId) names.push_back(participantLock(participantId));
  return names;
}
}  // namespace

void SchedulingService::ensureLockRows(std::int64_t practitionerId, std::int64_t participantId) {
  std::vector<LockRow> rows;
  if (practitionerId) rows.push_back(practitionerLockRow(practitionerId));
  if (participantId) rows.push_back(participantLockRow(participantId));
  knownLocks_.ensure(database_, rows);
}

void SchedulingService::lockCalendars(storage::Transaction& tx, std::int64_t practitionerId,
                                      std::int64_t participantId) const {
  lockRows(tx, lockNames(practitionerId, participantId));
}

SessionView SchedulingService::insertSession(storage::Transaction& tx, const Practitioner& p,
                                             std::int64_t participantId, const std::string& participantCode,
                                             std::optional<std::int64_t> planId, Interval slot) const {
  SessionView view;
  view.practitionerId = p.id;
  view.participantId = participantId;
  view.participantCode = participantCode;
  view.planId = planId;
  view.slot = slot;
  view.updatedAt = clock_.now();
  view.zone = p.zone;
  // Parameters appended one by one: GCC 12 misreports the initializer-list
  // form here as maybe-uninitialized at -O3.
  storage::Params params;
  params.reserve(7);
  params.emplace_back(p.id);
  params.emplace_back(participantId);
  params.push_back(storage::optional(planId));
  params.emplace_back(slot.start);
  params.emplace_back(slot.end);
  params.emplace_back(view.updatedAt);
  params.emplace_back(view.updatedAt);
  // RETURNING (SQLite 3.35+, MariaDB 10.5+): the new id without a second round trip.
  view.id = tx.query(
                  "INSERT INTO sessions (practitioner_id, participant_id, plan_id, start_at, end_at, status,"
                  " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'scheduled', ?, ?) RETURNING id",
                  params)
                .at(0)
                .int64(0);
  return view;
}

void SchedulingService::prepareCalendars(std::int64_t practitionerId, std::int64_t participantId) {
  ensureLockRows(practitionerId, participantId);
}

PlanOutcome SchedulingService::placePlan(std::int64_t participantId, const PlanInput& input,
                                         const identity::AuditContext& context) {
  prepareCalendars(input.practitionerId, participantId);
  return database_.transact(storage::TxMode::write,
                            [&](storage::Transaction& tx) { return placePlanIn(tx, participantId, input, context); });
}

PlanOutcome SchedulingService::placePlanIn(storage::Transaction& tx, std::int64_t participantId, const PlanInput& input,
                                           const identity::AuditContext& context) {
  const Practitioner p = practitionerIn(tx, input.practitionerId);
  const auto summary = participants_.summaryIn(tx, core::ParticipantId(participantId));
  requireSchedulable(summary);
  PlanRequest request;
  request.startOn = input.startOn;
  request.weeks = input.weeks;
  request.length = sessionLength(input.sessionMinutes, p);
  request.preferences = input.preferences;
  request.allowExtension = input.allowExtension;
  request.zone = p.zone;
  validatePlanRequest(request);
  // A plan starts today at the earliest (in the practitioner's zone); one
  // starting today places no session before now (calendarIn's notBefore).
  if (input.startOn < core::localDateOf(clock_.now(), *p.zone)) {
    throw Error(ErrorCode::unprocessable, "must not be in the past", "start_on");
  }
  if (!input.dryRun) lockCalendars(tx, input.practitionerId, participantId);
  const core::LocalDate last = input.startOn + date::days(7 * (input.weeks + 2));
  const CalendarInput calendar = calendarIn(tx, p, input.startOn, last, participantId, std::nullopt);
  const Placement placement = scheduler::placePlan(request, [&](core::LocalDate from, core::LocalDate to) {
    return findFreeSlots(calendar, from, to, request.length);
  });
  if (placement.failingWeek) throw placementConflict(*placement.failingWeek);
  PlanOutcome outcome;
  if (input.dryRun) {
    for (const auto& placed : placement.sessions) {
      SessionView view;
      view.practitionerId = input.practitionerId;
      view.participantId = participantId;
      view.participantCode = summary.code;
      view.zone = p.zone;
      view.slot = placed.slot;
      outcome.sessions.push_back(view);
    }
    return outcome;
  }
  const auto now = clock_.now();
  tx.execute(
      "INSERT INTO plans (participant_id, practitioner_id, weeks, start_on, regular_weekday, regular_minute,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {participantId, input.practitionerId, std::int64_t{input.weeks}, core::formatDate(input.startOn),
       placement.regularSlot ? storage::Value(std::int64_t{isoWeekday(placement.regularSlot->first)})
                             : storage::Value(storage::Null{}),
       placement.regularSlot ? storage::Value(std::int64_t{placement.regularSlot->second.minutes})
                             : storage::Value(storage::Null{}),
       now});
  outcome.planId = tx.lastInsertId();
  for (const auto& placed : placement.sessions) {
    outcome.sessions.push_back(insertSession(tx, p, participantId, summary.code, outcome.planId, placed.slot));
  }
  participants_.startTherapyIn(tx, core::ParticipantId(participantId), context);
  identity::recordAudit(
      tx,
      {context.actorUserId, "plan.create", "participant", std::to_string(participantId), context.requestId,
       "plan " + std::to_string(*outcome.planId) + ", " + std::to_string(outcome.sessions.size()) + " sessions"},
      now);
  return outcome;
}

core::Error SchedulingService::notBookable(storage::Transaction& tx, std::int64_t practitionerId,
                                           std::int64_t participantId, Interval slot, std::chrono::minutes buffer,
                                           std::optional<std::int64_t> ignoreSession,
                                           const date::time_zone& zone) const {
  // Name what is in the way: the active sessions of either person that
  // overlap the slot with its buffer. None: outside availability or closed.
  std::vector<SessionView> inTheWay;
  for (const auto& row :
       tx.query(std::string(kSessionColumns) + " WHERE s." + kActive +
                    " AND (s.practitioner_id = ? OR s.participant_id = ?) AND s.id <> ?"
                    " AND s.start_at < ? AND s.end_at > ? ORDER BY s.start_at",
                {practitionerId, participantId, ignoreSession.value_or(0), slot.end + buffer, slot.start - buffer})) {
    inTheWay.push_back(sessionFromRow(row));
  }
  core::Error error(
      core::ErrorCode::conflict,
      inTheWay.empty() ? "that time is outside the practitioner's availability or closed" : "that time is taken",
      "start");
  error.withMember("conflicts", conflictsJson(inTheWay, zone));
  return error;
}

SessionView SchedulingService::bookSession(std::int64_t practitionerId, std::int64_t participantId, core::Instant start,
                                           std::optional<int> minutes, const identity::AuditContext& context) {
  prepareCalendars(practitionerId, participantId);
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    return bookSessionIn(tx, practitionerId, participantId, start, minutes, context);
  });
}

SessionView SchedulingService::bookSessionIn(storage::Transaction& tx, std::int64_t practitionerId,
                                             std::int64_t participantId, core::Instant start,
                                             std::optional<int> minutes, const identity::AuditContext& context) {
  requireNotPast(start, clock_.now(), "start");
  const Practitioner p = practitionerIn(tx, practitionerId);
  const auto summary = participants_.summaryIn(tx, core::ParticipantId(participantId));
  requireSchedulable(summary);
  const Interval slot{start, start + sessionLength(minutes, p)};
  lockCalendars(tx, practitionerId, participantId);
  const core::LocalDate day = core::localDateOf(start, *p.zone);
  const CalendarInput calendar = calendarIn(tx, p, day, day, participantId, std::nullopt);
  if (!isBookable(calendar, slot)) {
    throw notBookable(tx, practitionerId, participantId, slot, calendar.buffer, std::nullopt, *p.zone);
  }
  SessionView view = insertSession(tx, p, participantId, summary.code, std::nullopt, slot);
  identity::recordAudit(
      tx, {context.actorUserId, "session.create", "session", std::to_string(view.id), context.requestId, ""},
      clock_.now());
  return view;
}

SessionView SchedulingService::reschedule(std::int64_t sessionId, core::Instant start,
                                          const identity::AuditContext& context) {
  const SessionView before = session(sessionId);  // 404 first
  requireNotPast(start, clock_.now(), "start");
  ensureLockRows(before.practitionerId, before.participantId);
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    lockCalendars(tx, before.practitionerId, before.participantId);
    const SessionView current = loadSession(tx, sessionId);
    if (current.status != SessionStatus::scheduled) {
      throw Error(ErrorCode::conflict, "only a scheduled session can be moved")
          .withMember("current_status", core::jsonQuote(toString(current.status)));
    }
    const Practitioner p = practitionerIn(tx, current.practitionerId);
    const Interval slot{start, start + (current.slot.end - current.slot.start)};
    const core::LocalDate day = core::localDateOf(start, *p.zone);
    const CalendarInput calendar = calendarIn(tx, p, day, day, current.participantId, sessionId);
    if (!isBookable(calendar, slot)) {
      throw notBookable(tx, current.practitionerId, current.participantId, slot, calendar.buffer, sessionId, *p.zone);
    }
    const auto now = clock_.now();
    tx.execute("UPDATE sessions SET start_at = ?, end_at = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?",
               {slot.start, slot.end, now, sessionId});
    identity::recordAudit(
        tx, {context.actorUserId, "session.reschedule", "session", std::to_string(sessionId), context.requestId, ""},
        now);
    return loadSession(tx, sessionId);
  });
}

SessionView SchedulingService::cancel(std::int64_t sessionId, const std::string& reason, const std::string& by,
                                      const identity::AuditContext& context) {
  if (by != "participant" && by != "practitioner" && by != "program") {
    throw Error(ErrorCode::unprocessable, "must be participant, practitioner or program", "by");
  }
  if (reason.empty() || reason.size() > 1000) throw Error(ErrorCode::unprocessable, "1 to 1000 bytes", "reason");
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const SessionView current = loadSession(tx, sessionId);
    if (current.status != SessionStatus::scheduled) {
      throw Error(ErrorCode::conflict, "only a scheduled session can be cancelled")
          .withMember("current_status", core::jsonQuote(toString(current.status)));
    }
    const bool late = by == "participant" && current.slot.start - now < options_.lateCancellationNotice;
    const auto status = late ? SessionStatus::late_cancelled : SessionStatus::cancelled;
    tx.execute(
        "UPDATE sessions SET status = ?, cancelled_by = ?, cancel_reason_enc = ?, sequence = sequence + 1,"
        " updated_at = ? WHERE id = ?",
        {std::string(toString(status)), by, storage::Blob{cipher_.encrypt(reason, kCancelReasonContext, sessionId)},
         now, sessionId});
    identity::recordAudit(tx,
                          {context.actorUserId, "session.cancel", "session", std::to_string(sessionId),
                           context.requestId, std::string(toString(status)) + " by " + by},
                          now);
    return loadSession(tx, sessionId);
  });
}

SessionView SchedulingService::recordAttendance(std::int64_t sessionId, const std::string& statusText,
                                                bool byCoordinator, const identity::AuditContext& context) {
  const auto status = sessionStatusFromString(statusText);
  if (!status ||
      (*status != SessionStatus::attended && *status != SessionStatus::no_show && *status != SessionStatus::excused)) {
    throw Error(ErrorCode::unprocessable, "must be attended, no_show or excused", "status");
  }
  if (*status == SessionStatus::excused && !byCoordinator) {
    throw Error(ErrorCode::forbidden, "only a coordinator may excuse a session");
  }
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const SessionView current = loadSession(tx, sessionId);
    const bool allowed =
        *status == SessionStatus::excused
            ? (current.status == SessionStatus::scheduled || current.status == SessionStatus::no_show ||
               current.status == SessionStatus::late_cancelled)
            : (current.status == SessionStatus::scheduled || current.status == SessionStatus::attended ||
               current.status == SessionStatus::no_show);
    if (!allowed) {
      throw Error(ErrorCode::conflict, "attendance cannot be recorded for this session")
          .withMember("current_status", core::jsonQuote(toString(current.status)));
    }
    if (*status != SessionStatus::excused && now < current.slot.start) {
      throw Error(ErrorCode::conflict, "attendance is recorded once the session has started")
          .withMember("current_status", core::jsonQuote(toString(current.status)));
    }
    tx.execute("UPDATE sessions SET status = ?, sequence = sequence + 1, updated_at = ? WHERE id = ?",
               {std::string(toString(*status)), now, sessionId});
    identity::recordAudit(tx,
                          {context.actorUserId, "session.attendance", "session", std::to_string(sessionId),
                           context.requestId, statusText},
                          now);
    return loadSession(tx, sessionId);
  });
}

// --- reads -------------------------------------------------------------------

SessionView SchedulingService::loadSession(storage::Transaction& tx, std::int64_t id) const {
  const auto row = tx.queryOne(std::string(kSessionColumns) + " WHERE s.id = ?", {id});
  if (!row) throw Error(ErrorCode::not_found, "no such session");
  return sessionFromRow(*row);
}

SessionView SchedulingService::session(std::int64_t sessionId) {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return loadSession(tx, sessionId); });
}

std::vector<SessionView> SchedulingService::sessions(const SessionFilter& f) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    std::optional<core::Instant> afterStart;
    if (f.afterSessionId) {
      const auto row = tx.queryOne("SELECT start_at FROM sessions WHERE id = ?", {*f.afterSessionId});
      if (!row) throw Error(ErrorCode::bad_request, "is not a cursor of this list", "cursor");
      afterStart = row->instant(0);
    }
    const auto rows = tx.query(
        std::string(kSessionColumns) +
            " WHERE (? IS NULL OR s.practitioner_id = ?) AND (? IS NULL OR s.participant_id = ?)"
            " AND (? IS NULL OR s.end_at > ?) AND (? IS NULL OR s.start_at < ?)"
            " AND (? IS NULL OR s.start_at > ? OR (s.start_at = ? AND s.id > ?))"
            " ORDER BY s.start_at, s.id LIMIT ?",
        {storage::optional(f.practitionerId), storage::optional(f.practitionerId), storage::optional(f.participantId),
         storage::optional(f.participantId), storage::optional(f.from), storage::optional(f.from),
         storage::optional(f.to), storage::optional(f.to), storage::optional(afterStart), storage::optional(afterStart),
         storage::optional(afterStart), f.afterSessionId.value_or(0), std::int64_t{f.limit}});
    std::vector<SessionView> views;
    for (const auto& row : rows) views.push_back(sessionFromRow(row));
    return views;
  });
}

std::vector<SessionView> SchedulingService::feedSessions(std::int64_t practitionerId) {
  const core::Instant since = clock_.now() - date::days(kFeedDaysBack);
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    std::vector<SessionView> views;
    // The (practitioner_id, start_at) index serves the range and the order.
    for (const auto& row : tx.query(std::string(kSessionColumns) +
                                        " WHERE s.practitioner_id = ? AND s.start_at >= ?"
                                        " ORDER BY s.start_at, s.id LIMIT ?",
                                    {practitionerId, since, std::int64_t{kFeedLimit}})) {
      views.push_back(sessionFromRow(row));
    }
    return views;
  });
}

TherapyRecord SchedulingService::therapyRecordIn(storage::Transaction& tx, std::int64_t participantId) const {
  TherapyRecord record;
  for (const auto& row :
       tx.query("SELECT status, COUNT(*) FROM sessions WHERE participant_id = ? GROUP BY status", {participantId})) {
    const auto status = sessionStatusFromString(row.text(0));
    const int count = static_cast<int>(row.int64(1));
    if (!status) continue;
    switch (*status) {
      case SessionStatus::attended:
      case SessionStatus::excused: record.sessionsAttended += count; break;
      case SessionStatus::no_show:
      case SessionStatus::late_cancelled: record.sessionsMissed += count; break;
      case SessionStatus::scheduled: record.sessionsPending += count; break;
      case SessionStatus::cancelled: break;  // cancelled in time: does not count
    }
  }
  const auto seat = tx.queryOne(
      "SELECT g.start_at FROM seats s JOIN group_sessions g ON g.id = s.group_session_id"
      " WHERE s.participant_id = ? AND s.status = 'attended' ORDER BY g.start_at LIMIT 1",
      {participantId});
  if (seat) record.awarenessDayAttendedOn = core::localDateOf(seat->instant(0), programZone_);
  return record;
}

namespace {
// Who a practitioner treats (and so whose contact details they may read):
// participants whose file is open (not ineligible, completed or withdrawn)
// and with whom they hold a session that was not cancelled in time. A late
// cancellation still counts: it is a missed session of the program, which
// the practitioner follows up and a coordinator may excuse.
std::string treatedCondition() {
  std::string closed;
  for (const auto status : {Status::referred, Status::eligible, Status::ineligible, Status::enrolled,
                            Status::in_therapy, Status::completed, Status::withdrawn}) {
    if (!participants::isFinal(status)) continue;
    closed += std::string(closed.empty() ? "" : ", ") + "'" + std::string(participants::toString(status)) + "'";
  }
  return " FROM sessions s JOIN participants pa ON pa.id = s.participant_id WHERE s.practitioner_id = ?"
         " AND s.status <> 'cancelled' AND pa.status NOT IN (" +
         closed + ")";
}
}  // namespace

bool SchedulingService::treats(std::int64_t practitionerId, std::int64_t participantId) {
  static const std::string sql = "SELECT s.id" + treatedCondition() + " AND s.participant_id = ? LIMIT 1";
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne(sql, {practitionerId, participantId}).has_value();
  });
}

std::vector<std::int64_t> SchedulingService::participantsTreatedBy(std::int64_t practitionerId) {
  static const std::string sql = "SELECT DISTINCT s.participant_id" + treatedCondition() + " ORDER BY s.participant_id";
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    std::vector<std::int64_t> ids;
    for (const auto& row : tx.query(sql, {practitionerId})) ids.push_back(row.int64(0));
    return ids;
  });
}

std::string SchedulingService::newFeedToken(std::int64_t practitionerId, const identity::AuditContext& context) {
  const auto token = identity::newToken("pcf_");
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    practitionerIn(tx, practitionerId);
    tx.execute("DELETE FROM feed_tokens WHERE practitioner_id = ?", {practitionerId});
    tx.execute("INSERT INTO feed_tokens (practitioner_id, token_hash, created_at) VALUES (?, ?, ?)",
               {practitionerId, token.hash, now});
    identity::recordAudit(tx,
                          {context.actorUserId, "feed_token.create", "practitioner", std::to_string(practitionerId),
                           context.requestId, ""},
                          now);
  });
  return token.secret;
}

std::optional<std::int64_t> SchedulingService::practitionerOfFeedToken(const std::string& secret) {
  if (secret.size() < 8 || secret.size() > 200) return std::nullopt;
  const auto row = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne("SELECT practitioner_id FROM feed_tokens WHERE token_hash = ?", {identity::tokenHash(secret)});
  });
  if (!row) return std::nullopt;
  return row->int64(0);
}

}  // namespace parcours::scheduler
