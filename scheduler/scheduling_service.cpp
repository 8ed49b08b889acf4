#include "scheduler/scheduling_service.h"

#include <algorithm>

#include "identity/audit_log.h"
#include "identity/token.h"
#include "scheduler/availability.h"
#include "scheduler/calendar_locks.h"
#include "scheduler/calendar_rules.h"
#include "scheduler/holidays.h"
#include "scheduler/session_rules.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

namespace {

std::string conflictsJson(const std::vector<SessionView>& sessions, const date::time_zone& zone) {
  std::string json = "[";
  for (const auto& s : sessions) {
    if (json.size() > 1) json += ',';
    json += "{\"id\":" + core::jsonQuote(s.id ? s.id->toString() : "") +
            ",\"start\":" + core::jsonQuote(core::formatInstant(s.slot.start, zone)) + "}";
  }
  return json + "]";
}

void audit(storage::Transaction& tx, const identity::AuditContext& context, const char* action, const char* entity,
           const std::string& entityId, const std::string& detail, core::Instant at) {
  identity::recordAudit(tx, {context.actorUserId, action, entity, entityId, context.requestId, detail}, at);
}

}  // namespace

SchedulingService::SchedulingService(storage::Database& database, const identity::KeyFileCipher& cipher,
                                     const core::Clock& clock, const date::time_zone& programZone,
                                     const participants::ParticipantService& participants, SchedulingOptions options)
    : database_(database),
      clock_(clock),
      programZone_(programZone),
      participants_(participants),
      options_(options),
      sessions_(cipher),
      calendars_(cipher) {}

int SchedulingService::sealClearReasons() {
  return sessions_.sealClearReasons(database_);
}

// --- calendars ---------------------------------------------------------------

void SchedulingService::setAvailability(core::PractitionerId practitionerId, const std::vector<WeeklyWindow>& weekly,
                                        const identity::AuditContext& context) {
  validateWeeklyWindows(weekly);
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    practitioners_.calendarSettings(tx, practitionerId);  // 404 first
    calendars_.replaceWeekly(tx, practitionerId, weekly);
    audit(tx, context, "availability.set", "practitioner", practitionerId.toString(),
          std::to_string(weekly.size()) + " windows", now);
  });
}

std::vector<WeeklyWindow> SchedulingService::availability(core::PractitionerId practitionerId) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    practitioners_.calendarSettings(tx, practitionerId);
    return calendars_.weekly(tx, practitionerId);
  });
}

TimeOffId SchedulingService::addTimeOff(core::PractitionerId practitionerId, DateRange range,
                                        const std::optional<std::string>& reason,
                                        const identity::AuditContext& context) {
  validateTimeOff(range, reason);
  ensureLockRows(practitionerId, std::nullopt);
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const CalendarSettings p = practitioners_.calendarSettings(tx, practitionerId);
    lockCalendars(tx, practitionerId, std::nullopt);
    const auto from = *core::toInstant(range.first, {0}, *p.zone);
    const auto to = *core::toInstant(range.last + date::days(1), {0}, *p.zone);
    const auto inside = sessions_.scheduledWithin(tx, practitionerId, from, to);
    if (!inside.empty()) {
      throw Error(ErrorCode::conflict, "active sessions fall inside the time off")
          .withMember("conflicts", conflictsJson(inside, *p.zone));
    }
    const TimeOffId id = calendars_.insertTimeOff(tx, practitionerId, range, reason, now);
    audit(tx, context, "time_off.create", "practitioner", practitionerId.toString(),
          core::formatDate(range.first) + ".." + core::formatDate(range.last), now);
    return id;
  });
}

Closure SchedulingService::addClosure(core::LocalDate day, const std::string& name,
                                      const identity::AuditContext& context) {
  validateClosureName(name);
  const auto now = clock_.now();
  const Closure closure = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    if (calendars_.closedOn(tx, day)) {
      throw Error(ErrorCode::conflict, "the program is already closed that day", "date");
    }
    calendars_.insertClosure(tx, day, name, now);
    audit(tx, context, "closure.create", "closure", core::formatDate(day), "", now);
    return Closure{day, name, "closure"};
  });
  // This daemon's own list shows the new closure at once.
  std::lock_guard lock(closuresMutex_);
  closuresByYear_.erase(static_cast<int>(date::year_month_day{day}.year()));
  return closure;
}

std::vector<Closure> SchedulingService::closuresIn(storage::Transaction& tx, int year) const {
  std::vector<Closure> all = quebecHolidays(year);
  for (auto& closure : calendars_.closures(tx, year)) all.push_back(std::move(closure));
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

CalendarInput SchedulingService::calendarIn(storage::Transaction& tx, const CalendarSettings& p, core::LocalDate from,
                                            core::LocalDate to, std::optional<core::ParticipantId> participantId,
                                            std::optional<core::SessionId> ignoreSession) const {
  CalendarInput input;
  input.zone = p.zone;
  input.buffer = std::chrono::minutes(p.bufferMinutes);
  input.granularity = options_.granularity;
  input.notBefore = clock_.now();  // no slot in the past is offered, placed or bookable
  input.weekly = calendars_.weekly(tx, p.id);
  input.timeOff = calendars_.timeOff(tx, p.id, from, to);
  const int firstYear = static_cast<int>(date::year_month_day{from}.year());
  const int lastYear = static_cast<int>(date::year_month_day{to}.year());
  for (int year = firstYear; year <= lastYear; ++year) {
    for (const auto& closure : closuresIn(tx, year)) input.closedDates.push_back(closure.date);
  }
  // Sessions a day beyond the range on both sides: zones and buffers reach
  // over midnight. No session or seat lasts a day, hence the day of margin
  // below the indexed read.
  const core::Instant fromInstant = date::sys_days{from.time_since_epoch()} - date::days(2);
  const core::Instant toInstant = date::sys_days{to.time_since_epoch()} + date::days(3);
  input.busy =
      calendars_.busy(tx, p.id, participantId, fromInstant, toInstant, fromInstant - date::days(1), ignoreSession);
  std::sort(input.busy.begin(), input.busy.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  return input;
}

std::vector<Interval> SchedulingService::freeSlots(core::PractitionerId practitionerId, core::LocalDate from,
                                                   core::LocalDate to, std::optional<int> minutes) {
  validateSlotRange(from, to);
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    const CalendarSettings p = practitioners_.calendarSettings(tx, practitionerId);
    const CalendarInput input = calendarIn(tx, p, from, to, std::nullopt, std::nullopt);
    return findFreeSlots(input, from, to, sessionLength(minutes, p.sessionMinutes));
  });
}

// --- bookings ----------------------------------------------------------------

namespace {
std::vector<std::string> lockNames(std::optional<core::PractitionerId> practitionerId,
                                   std::optional<core::ParticipantId> participantId) {
  std::vector<std::string> names;
  if (practitionerId) names.push_back(practitionerLock(*practitionerId));
  if (participantId) names.push_back(participantLock(*participantId));
  return names;
}
}  // namespace

void SchedulingService::ensureLockRows(std::optional<core::PractitionerId> practitionerId,
                                       std::optional<core::ParticipantId> participantId) {
  std::vector<LockRow> rows;
  if (practitionerId) rows.push_back(practitionerLockRow(*practitionerId));
  if (participantId) rows.push_back(participantLockRow(*participantId));
  knownLocks_.ensure(database_, rows);
}

void SchedulingService::lockCalendars(storage::Transaction& tx, std::optional<core::PractitionerId> practitionerId,
                                      std::optional<core::ParticipantId> participantId) const {
  lockRows(tx, lockNames(practitionerId, participantId));
}

SessionView SchedulingService::insertSession(storage::Transaction& tx, const CalendarSettings& p,
                                             core::ParticipantId participantId, const std::string& participantCode,
                                             std::optional<core::PlanId> planId, Interval slot) const {
  SessionView view;
  view.practitionerId = p.id;
  view.participantId = participantId;
  view.participantCode = participantCode;
  view.planId = planId;
  view.slot = slot;
  view.updatedAt = clock_.now();
  view.zone = p.zone;
  view.id = sessions_.insert(tx, view);
  return view;
}

void SchedulingService::prepareCalendars(core::PractitionerId practitionerId, core::ParticipantId participantId) {
  ensureLockRows(practitionerId, participantId);
}

PlanOutcome SchedulingService::placePlanIn(storage::Transaction& tx, core::ParticipantId participantId,
                                           const PlanInput& input, const identity::AuditContext& context) {
  const CalendarSettings p = practitioners_.calendarSettings(tx, input.practitionerId);
  const auto summary = participants_.summaryIn(tx, participantId);
  requireSchedulable(summary.status);
  PlanRequest request;
  request.startOn = input.startOn;
  request.weeks = input.weeks;
  request.length = sessionLength(input.sessionMinutes, p.sessionMinutes);
  request.preferences = input.preferences;
  request.allowExtension = input.allowExtension;
  request.zone = p.zone;
  validatePlanRequest(request);
  // One starting today places no session before now (calendarIn's notBefore).
  requirePlanStartNotPast(input.startOn, core::localDateOf(clock_.now(), *p.zone));
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
  outcome.planId = sessions_.insertPlan(tx, participantId, input, placement.regularSlot, now);
  for (const auto& placed : placement.sessions) {
    outcome.sessions.push_back(insertSession(tx, p, participantId, summary.code, outcome.planId, placed.slot));
  }
  participants_.startTherapyIn(tx, participantId, context);
  audit(tx, context, "plan.create", "participant", participantId.toString(),
        "plan " + outcome.planId->toString() + ", " + std::to_string(outcome.sessions.size()) + " sessions", now);
  return outcome;
}

core::Error SchedulingService::notBookable(storage::Transaction& tx, core::PractitionerId practitionerId,
                                           core::ParticipantId participantId, Interval slot,
                                           std::chrono::minutes buffer, std::optional<core::SessionId> ignoreSession,
                                           const date::time_zone& zone) const {
  // Name what is in the way: the active sessions of either person that
  // overlap the slot with its buffer. None: outside availability or closed.
  const auto inTheWay =
      sessions_.holdingTime(tx, practitionerId, participantId, {slot.start - buffer, slot.end + buffer}, ignoreSession);
  core::Error error(
      core::ErrorCode::conflict,
      inTheWay.empty() ? "that time is outside the practitioner's availability or closed" : "that time is taken",
      "start");
  error.withMember("conflicts", conflictsJson(inTheWay, zone));
  return error;
}

SessionView SchedulingService::bookSessionIn(storage::Transaction& tx, core::PractitionerId practitionerId,
                                             core::ParticipantId participantId, core::Instant start,
                                             std::optional<int> minutes, const identity::AuditContext& context) {
  requireNotPast(start, clock_.now(), "start");
  const CalendarSettings p = practitioners_.calendarSettings(tx, practitionerId);
  const auto summary = participants_.summaryIn(tx, participantId);
  requireSchedulable(summary.status);
  const Interval slot{start, start + sessionLength(minutes, p.sessionMinutes)};
  lockCalendars(tx, practitionerId, participantId);
  const core::LocalDate day = core::localDateOf(start, *p.zone);
  const CalendarInput calendar = calendarIn(tx, p, day, day, participantId, std::nullopt);
  if (!isBookable(calendar, slot)) {
    throw notBookable(tx, practitionerId, participantId, slot, calendar.buffer, std::nullopt, *p.zone);
  }
  SessionView view = insertSession(tx, p, participantId, summary.code, std::nullopt, slot);
  audit(tx, context, "session.create", "session", view.id->toString(), "", clock_.now());
  return view;
}

SessionView SchedulingService::reschedule(core::SessionId sessionId, core::Instant start,
                                          const identity::AuditContext& context) {
  const SessionView before = session(sessionId);  // 404 first
  requireNotPast(start, clock_.now(), "start");
  ensureLockRows(before.practitionerId, before.participantId);
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    lockCalendars(tx, before.practitionerId, before.participantId);
    const SessionView current = sessions_.load(tx, sessionId);
    requireScheduled(current.status, "only a scheduled session can be moved");
    const CalendarSettings p = practitioners_.calendarSettings(tx, current.practitionerId);
    const Interval slot{start, start + (current.slot.end - current.slot.start)};
    const core::LocalDate day = core::localDateOf(start, *p.zone);
    const CalendarInput calendar = calendarIn(tx, p, day, day, current.participantId, sessionId);
    if (!isBookable(calendar, slot)) {
      throw notBookable(tx, current.practitionerId, current.participantId, slot, calendar.buffer, sessionId, *p.zone);
    }
    const auto now = clock_.now();
    sessions_.move(tx, sessionId, slot, now);
    audit(tx, context, "session.reschedule", "session", sessionId.toString(), "", now);
    return sessions_.load(tx, sessionId);
  });
}

SessionView SchedulingService::cancel(core::SessionId sessionId, const std::string& reason, CancelledBy by,
                                      const identity::AuditContext& context) {
  requireCancelReason(reason);
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const SessionView current = sessions_.load(tx, sessionId);
    requireScheduled(current.status, "only a scheduled session can be cancelled");
    const auto status = cancellationStatus(by, current.slot.start, now, options_.lateCancellationNotice);
    sessions_.cancel(tx, sessionId, status, by, reason, now);
    audit(tx, context, "session.cancel", "session", sessionId.toString(),
          std::string(toString(status)) + " by " + std::string(toString(by)), now);
    return sessions_.load(tx, sessionId);
  });
}

SessionView SchedulingService::recordAttendance(core::SessionId sessionId, SessionStatus status, bool byCoordinator,
                                                const identity::AuditContext& context) {
  requireMayExcuse(status, byCoordinator);
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const SessionView current = sessions_.load(tx, sessionId);
    checkAttendance(current.status, status, current.slot.start, now);
    sessions_.setStatus(tx, sessionId, status, now);
    audit(tx, context, "session.attendance", "session", sessionId.toString(), std::string(toString(status)), now);
    return sessions_.load(tx, sessionId);
  });
}

// --- reads -------------------------------------------------------------------

SessionView SchedulingService::session(core::SessionId sessionId) {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return sessions_.load(tx, sessionId); });
}

std::vector<SessionView> SchedulingService::sessions(const SessionFilter& filter) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    std::optional<core::Instant> afterStart;
    if (filter.afterSessionId) {
      afterStart = sessions_.startOf(tx, *filter.afterSessionId);
      if (!afterStart) throw Error(ErrorCode::bad_request, "is not a cursor of this list", "cursor");
    }
    return sessions_.list(tx, filter, afterStart);
  });
}

std::vector<SessionView> SchedulingService::feedSessions(core::PractitionerId practitionerId) {
  const core::Instant since = clock_.now() - date::days(kFeedDaysBack);
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return sessions_.startingFrom(tx, practitionerId, since, kFeedLimit);
  });
}

TherapyRecord SchedulingService::therapyRecordIn(storage::Transaction& tx, core::ParticipantId participantId) const {
  TherapyRecord record;
  for (const auto& [status, count] : sessions_.statusCounts(tx, participantId)) countSessions(record, status, count);
  if (const auto start = awareness_.firstAttendedStart(tx, participantId)) {
    record.awarenessDayAttendedOn = core::localDateOf(*start, programZone_);
  }
  return record;
}

bool SchedulingService::treats(core::PractitionerId practitionerId, core::ParticipantId participantId) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return sessions_.treats(tx, practitionerId, participantId);
  });
}

std::vector<core::ParticipantId> SchedulingService::participantsTreatedBy(core::PractitionerId practitionerId) {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return sessions_.treatedBy(tx, practitionerId); });
}

std::string SchedulingService::newFeedToken(core::PractitionerId practitionerId,
                                            const identity::AuditContext& context) {
  const auto token = identity::newToken("pcf_");
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    practitioners_.calendarSettings(tx, practitionerId);
    practitioners_.replaceFeedToken(tx, practitionerId, token.hash, now);
    audit(tx, context, "feed_token.create", "practitioner", practitionerId.toString(), "", now);
  });
  return token.secret;
}

std::optional<core::PractitionerId> SchedulingService::practitionerOfFeedToken(const std::string& secret) {
  if (secret.size() < 8 || secret.size() > 200) return std::nullopt;
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return practitioners_.ofFeedToken(tx, identity::tokenHash(secret));
  });
}

}  // namespace parcours::scheduler
