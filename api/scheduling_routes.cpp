// Therapy plans and sessions (docs/api.md "Scheduling"): placing a plan,
// booking, listing, rescheduling, cancelling and recording attendance. One
// function per route; who may call each, how far, and which honour an
// Idempotency-Key is declared in the table at the end. Calendars are in
// calendar_routes.cpp, awareness days in awareness_day_routes.cpp.
#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "api/route_table.h"
#include "api/scheduling_fields.h"
#include "core/error.h"
#include "scheduler/session_rules.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;
using scheduler::SessionView;

namespace {

using Route = RouteContext<AppContext>;

// A cancellation reason is clinical free text: the coordinator, the
// session's practitioner and its participant read it; admin and finance,
// who otherwise see the session, do not.
bool mayReadCancelReason(const identity::Principal& who, const SessionView& s) {
  switch (who.role) {
    case Role::coordinator: return true;
    case Role::practitioner: return who.practitionerId == s.practitionerId;
    case Role::participant: return who.participantId == s.participantId;
    default: return false;
  }
}

void writeSession(JsonWriter& w, const SessionView& s, const identity::Principal& reader) {
  const date::time_zone& zone = *s.zone;
  w.beginObject();
  if (s.id) w.field("id", *s.id);
  w.field("practitioner_id", s.practitionerId)
      .field("participant_id", s.participantId)
      .field("participant_code", s.participantCode)
      .field("plan_id", s.planId)
      .field("start", core::formatInstant(s.slot.start, zone))
      .field("end", core::formatInstant(s.slot.end, zone))
      .field("status", scheduler::toString(s.status));
  if (s.cancelledBy) w.field("cancelled_by", scheduler::toString(*s.cancelledBy));
  if (s.cancelReason && mayReadCancelReason(reader, s)) w.field("cancel_reason", *s.cancelReason);
  w.endObject();
}

Response sessionResponse(int status, const SessionView& view, const Request& request) {
  JsonWriter w;
  writeSession(w, view, principalOf(request));
  return jsonResponse(status, w);
}

core::Instant startField(const Poco::JSON::Object& body) {
  const std::string text = requireString(body, "start");
  return parsed("start", [&] { return core::parseInstant(text); });
}

scheduler::Preferences planPreferences(const Poco::JSON::Object& prefs) {
  scheduler::Preferences preferences;
  if (prefs.has("weekdays")) {
    const auto days = prefs.getArray("weekdays");
    if (!days) throw Error(ErrorCode::bad_request, "must be an array", "preferences.weekdays");
    for (std::size_t i = 0; i < days->size(); ++i) {
      const auto value = days->get(static_cast<unsigned>(i));
      if (!value.isString()) throw Error(ErrorCode::bad_request, "must be strings", "preferences.weekdays");
      preferences.weekdays.push_back(weekdayField(value.extract<std::string>(), "preferences.weekdays"));
    }
  }
  if (optionalString(prefs, "earliest")) preferences.earliest = timeField(prefs, "earliest", "preferences.earliest");
  if (optionalString(prefs, "latest")) preferences.latest = timeField(prefs, "latest", "preferences.latest");
  return preferences;
}

scheduler::PlanInput planInput(Request& request) {
  const auto body = request.jsonObject();
  scheduler::PlanInput input;
  input.practitionerId = core::PractitionerId(idField(*body, "practitioner_id"));
  input.weeks = static_cast<int>(requireIntIn(*body, "weeks", 1, 8));
  input.startOn = dateField(*body, "start_on");
  input.sessionMinutes = minutesField(*body, "session_minutes");
  input.allowExtension = optionalBool(*body, "allow_extension").value_or(false);
  input.dryRun = optionalBool(*body, "dry_run").value_or(false);
  if (body->has("preferences") && !body->get("preferences").isEmpty()) {
    const auto prefs = body->getObject("preferences");
    if (!prefs) throw Error(ErrorCode::bad_request, "must be an object", "preferences");
    input.preferences = planPreferences(*prefs);
  }
  return input;
}

// Reads the whole request (400, 422, 404 as before), then makes the lock
// rows the plan's transaction bumps.
void preparePlan(Route& route, Request& request) {
  const auto input = planInput(request);
  route.services().scheduling.prepareCalendars(input.practitionerId, pathId<core::ParticipantId>(request));
}

Response placePlan(Route& route, Request& request) {
  const auto input = planInput(request);
  const auto participant = pathId<core::ParticipantId>(request);
  const auto outcome =
      route.services().scheduling.placePlanIn(route.tx(), participant, input, auditContextOf(request));
  JsonWriter w;
  w.beginObject().field("id", outcome.planId).field("dry_run", input.dryRun).key("sessions").beginArray();
  for (const auto& s : outcome.sessions) writeSession(w, s, principalOf(request));
  w.endArray().endObject();
  return jsonResponse(input.dryRun ? 200 : 201, w);
}

std::optional<core::Instant> instantQuery(const Request& request, const char* name) {
  const auto text = request.queryValue(name);
  if (!text) return std::nullopt;
  try {
    return date::sys_days{core::parseDate(*text).time_since_epoch()};
  } catch (const Error&) {
  }
  try {
    return core::parseInstant(*text);
  } catch (const Error&) {
    throw Error(ErrorCode::bad_request, "must be a date or an RFC 3339 instant", name);
  }
}

// Each caller sees the sessions access.h's visibleSessions allows.
Response listSessions(Route& route, Request& request) {
  const auto& who = principalOf(request);
  scheduler::SessionFilter filter;
  if (const auto id = idQuery(request, "practitioner_id")) filter.practitionerId = core::PractitionerId(*id);
  if (const auto id = idQuery(request, "participant_id")) filter.participantId = core::ParticipantId(*id);
  filter.from = instantQuery(request, "from");
  filter.to = instantQuery(request, "to");
  filter.limit = limitParam(request);
  if (const auto cursor = request.queryValue("cursor")) filter.afterSessionId = core::SessionId(cursorParam(*cursor));
  const VisibleSessions visible = visibleSessions(who);
  if (visible.practitioner) filter.practitionerId = visible.practitioner;
  if (visible.participant) filter.participantId = visible.participant;
  return pageResponse(
      route.services().scheduling.sessions(filter), filter.limit,
      [&](JsonWriter& w, const SessionView& s) { writeSession(w, s, who); },
      [](const SessionView& s) { return s.id->value(); });
}

struct Booking {
  core::PractitionerId practitioner;
  core::ParticipantId participant;
  core::Instant start;
  std::optional<int> minutes;
};

Booking booking(Request& request) {
  const auto body = request.jsonObject();
  const auto practitioner = core::PractitionerId(idField(*body, "practitioner_id"));
  const auto participant = core::ParticipantId(idField(*body, "participant_id"));
  const auto start = startField(*body);
  return {practitioner, participant, start, minutesField(*body, "minutes")};
}

// Reads the request, then makes the lock rows the booking's transaction bumps.
void prepareBooking(Route& route, Request& request) {
  const Booking b = booking(request);
  route.services().scheduling.prepareCalendars(b.practitioner, b.participant);
}

Response bookSession(Route& route, Request& request) {
  const Booking b = booking(request);
  return sessionResponse(201,
                         route.services().scheduling.bookSessionIn(route.tx(), b.practitioner, b.participant, b.start,
                                                                   b.minutes, auditContextOf(request)),
                         request);
}

Response reschedule(Route& route, Request& request) {
  const auto start = startField(*request.jsonObject());
  const auto view =
      route.services().scheduling.reschedule(pathId<core::SessionId>(request), start, auditContextOf(request));
  return sessionResponse(200, view, request);
}

Response cancelSession(Route& route, Request& request) {
  const auto body = request.jsonObject();
  const auto& who = principalOf(request);
  std::string by = requireString(*body, "by");
  // A participant cancels as the participant, a practitioner as the practitioner.
  if (who.role == Role::participant && by != "participant")
    throw Error(ErrorCode::forbidden, "participants cancel as participant");
  if (who.role == Role::practitioner && by == "program")
    throw Error(ErrorCode::forbidden, "only the program cancels as program");
  const std::string reason = requireString(*body, "reason");
  const auto session = pathId<core::SessionId>(request);
  const auto view =
      route.services().scheduling.cancel(session, reason, scheduler::parseCancelledBy(by), auditContextOf(request));
  return sessionResponse(200, view, request);
}

Response recordAttendance(Route& route, Request& request) {
  const auto body = request.jsonObject();
  const bool coordinator = principalOf(request).role == Role::coordinator;
  const std::string status = requireString(*body, "status");
  const auto session = pathId<core::SessionId>(request);
  const auto view = route.services().scheduling.recordAttendance(session, scheduler::parseAttendanceStatus(status),
                                                                 coordinator, auditContextOf(request));
  return sessionResponse(200, view, request);
}

}  // namespace

void addSchedulingRoutes(Router& router, AppContext& app) {
  const Access coordinator = roles({Role::coordinator});
  // Everyone listed reads the list; its rows are narrowed by visibleSessions.
  const Access sessionReaders =
      roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance, Role::participant});
  const Access sessionKeepers =
      grants({{Role::coordinator, Scope::all}, {Role::practitioner, Scope::session_of_practitioner}});
  const Access sessionParties = grants({{Role::coordinator, Scope::all},
                                        {Role::practitioner, Scope::session_of_practitioner},
                                        {Role::participant, Scope::session_of_participant}});
  addRoutes<AppContext>(
      router, app, app.access, &app.idempotent,
      {
          {"POST", "/api/v1/participants/{id}/plans", placePlan, coordinator, Idempotency::honoured, preparePlan},
          {"GET", "/api/v1/sessions", listSessions, sessionReaders},
          {"POST", "/api/v1/sessions", bookSession, coordinator, Idempotency::honoured, prepareBooking},
          {"PATCH", "/api/v1/sessions/{id}", reschedule, sessionKeepers},
          {"POST", "/api/v1/sessions/{id}/cancel", cancelSession, sessionParties},
          {"POST", "/api/v1/sessions/{id}/attendance", recordAttendance, sessionKeepers},
      });
}

}  // namespace parcours::api
