#include <charconv>

#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "core/error.h"
#include "scheduler/icalendar.h"
#include "scheduler/session_rules.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;
using scheduler::SessionView;

namespace {

date::weekday weekdayField(const std::string& text, const std::string& field) {
  static const std::pair<const char*, unsigned> kDays[] = {{"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4},
                                                           {"fri", 5}, {"sat", 6}, {"sun", 0}};
  for (const auto& [name, value] : kDays) {
    if (text == name) return date::weekday{value};
  }
  throw Error(ErrorCode::unprocessable, "must be mon, tue, wed, thu, fri, sat or sun", field);
}

std::string weekdayName(date::weekday day) {
  static const char* kNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  return kNames[day.c_encoding()];
}

core::LocalTime timeField(const Poco::JSON::Object& body, const std::string& field, const std::string& name) {
  const std::string text = requireString(body, field);
  return parsed(name, [&] { return core::parseLocalTime(text); });
}

std::optional<int> minutesField(const Poco::JSON::Object& body, const std::string& field) {
  const auto value = optionalIntIn(body, field, 30, 120);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);  // within 30..120
}

// A cancellation reason is clinical free text: the coordinator, the
// session's practitioner and its participant read it; admin and finance,
// who otherwise see the session, do not.
bool mayReadCancelReason(const identity::Principal& who, const SessionView& s) {
  switch (who.role) {
    case Role::coordinator: return true;
    case Role::practitioner: return who.practitionerId == s.practitionerId.value();
    case Role::participant: return who.participantId == s.participantId.value();
    default: return false;
  }
}

Poco::JSON::Object sessionJson(const SessionView& s, const identity::Principal& reader) {
  const date::time_zone& zone = *s.zone;
  Poco::JSON::Object o;
  if (s.id) o.set("id", s.id->toString());
  o.set("practitioner_id", s.practitionerId.toString());
  o.set("participant_id", s.participantId.toString());
  o.set("participant_code", s.participantCode);
  o.set("plan_id", s.planId ? Poco::Dynamic::Var(s.planId->toString()) : Poco::Dynamic::Var());
  o.set("start", core::formatInstant(s.slot.start, zone));
  o.set("end", core::formatInstant(s.slot.end, zone));
  o.set("status", std::string(scheduler::toString(s.status)));
  if (s.cancelledBy) o.set("cancelled_by", std::string(scheduler::toString(*s.cancelledBy)));
  if (s.cancelReason && mayReadCancelReason(reader, s)) o.set("cancel_reason", *s.cancelReason);
  return o;
}

}  // namespace

void addSchedulingRoutes(Router& router, AppContext& app) {
  const Access staff = roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance});
  const Access calendarKeepers =
      grants({{Role::coordinator, Scope::all}, {Role::practitioner, Scope::that_practitioner}});
  const auto zoneOf = [&app](std::int64_t practitionerId) -> const date::time_zone& {
    return core::findZone(app.practitioners.get(core::PractitionerId(practitionerId)).timeZone);
  };

  router.add(
      "PUT", "/api/v1/practitioners/{id}/availability",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        if (!body->has("weekly") || !body->isArray("weekly"))
          throw Error(ErrorCode::bad_request, "must be an array", "weekly");
        const auto weekly = body->getArray("weekly");
        if (weekly->size() > 70) throw Error(ErrorCode::unprocessable, "at most 70 windows", "weekly");
        std::vector<scheduler::WeeklyWindow> windows;
        for (std::size_t i = 0; i < weekly->size(); ++i) {
          const std::string field = "weekly[" + std::to_string(i) + "]";
          const auto item = weekly->getObject(static_cast<unsigned>(i));
          if (!item) throw Error(ErrorCode::bad_request, "must be an object", field);
          windows.push_back({weekdayField(requireString(*item, "weekday"), field + ".weekday"),
                             timeField(*item, "start", field + ".start"), timeField(*item, "end", field + ".end")});
        }
        app.scheduling.setAvailability(core::PractitionerId(idParam(request)), windows, auditContextOf(request));
        return Response::json(200, toJson(*body));
      },
      guardFor(calendarKeepers, app.access));

  router.add(
      "GET", "/api/v1/practitioners/{id}/availability",
      [&app](Request& request) {
        Poco::JSON::Array weekly;
        for (const auto& w : app.scheduling.availability(core::PractitionerId(idParam(request)))) {
          Poco::JSON::Object o;
          o.set("weekday", weekdayName(w.weekday));
          o.set("start", core::formatLocalTime(w.start));
          o.set("end", core::formatLocalTime(w.end));
          weekly.add(o);
        }
        Poco::JSON::Object o;
        o.set("weekly", weekly);
        return jsonResponse(200, o);
      },
      guardFor(staff, app.access));

  router.add(
      "POST", "/api/v1/practitioners/{id}/time-off",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const scheduler::DateRange range{dateField(*body, "start_date"), dateField(*body, "end_date")};
        const auto id = app.scheduling.addTimeOff(core::PractitionerId(idParam(request)), range,
                                                  optionalString(*body, "reason"), auditContextOf(request));
        Poco::JSON::Object o;
        o.set("id", id.toString());
        o.set("start_date", core::formatDate(range.first));
        o.set("end_date", core::formatDate(range.last));
        return jsonResponse(201, o);
      },
      guardFor(calendarKeepers, app.access));

  router.add(
      "GET", "/api/v1/practitioners/{id}/slots",
      [&app, zoneOf](Request& request) {
        const auto practitioner = idParam(request);
        std::optional<int> minutes;
        // The service says 422 outside 30..120; anything beyond a day is no length at all.
        if (const auto value = intQuery(request, "minutes", 0, 24 * 60)) minutes = static_cast<int>(*value);
        const auto slots = app.scheduling.freeSlots(core::PractitionerId(practitioner), dateQuery(request, "from"),
                                                    dateQuery(request, "to"), minutes);
        const auto& zone = zoneOf(practitioner);
        Poco::JSON::Array items;
        for (const auto& slot : slots) {
          Poco::JSON::Object o;
          o.set("start", core::formatInstant(slot.start, zone));
          o.set("end", core::formatInstant(slot.end, zone));
          items.add(o);
        }
        return itemsResponse(items);
      },
      guardFor(staff, app.access));

  router.add(
      "POST", "/api/v1/practitioners/{id}/feed-token",
      [&app](Request& request) {
        const auto id = idParam(request);
        const std::string token = app.scheduling.newFeedToken(core::PractitionerId(id), auditContextOf(request));
        Poco::JSON::Object o;
        o.set("token", token);
        o.set("url", "/api/v1/practitioners/" + std::to_string(id) + "/calendar.ics?token=" + token);
        return jsonResponse(201, o);
      },
      guardFor(calendarKeepers, app.access));

  // The feed token is the credential: calendar clients cannot send headers.
  router.add("GET", "/api/v1/practitioners/{id}/calendar.ics", [&app](Request& request) {
    const auto id = idParam(request);
    const auto token = request.queryValue("token");
    const auto owner = token ? app.scheduling.practitionerOfFeedToken(*token) : std::nullopt;
    if (!owner || owner->value() != id) throw Error(ErrorCode::not_found, "no such calendar");
    const auto sessions = app.scheduling.feedSessions(*owner);  // from 90 days back, forward
    return Response::text(
        200, "text/calendar; charset=utf-8",
        scheduler::renderICalendar(sessions, "Parcours — " + app.practitioners.get(*owner).displayName));
  });

  router.add(
      "GET", "/api/v1/closures",
      [&app](Request& request) {
        const auto text = request.queryValue("year");
        int year = 0;
        if (!text) throw Error(ErrorCode::bad_request, "is required", "year");
        const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), year);
        if (ec != std::errc() || end != text->data() + text->size() || year < 1583 || year > 9999) {
          throw Error(ErrorCode::bad_request, "must be a year from 1583 to 9999", "year");
        }
        JsonWriter w;
        w.beginObject().key("items").beginArray();
        for (const auto& c : app.scheduling.closures(year)) {
          w.beginObject()
              .field("date", core::formatDate(c.date))
              .field("name", c.name)
              .field("kind", c.kind)
              .endObject();
        }
        w.endArray().endObject();
        return Response::json(200, w.take());
      },
      guardFor(staff, app.access));

  router.add(
      "POST", "/api/v1/closures",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const auto closure =
            app.scheduling.addClosure(dateField(*body, "date"), requireString(*body, "name"), auditContextOf(request));
        Poco::JSON::Object o;
        o.set("date", core::formatDate(closure.date));
        o.set("name", closure.name);
        o.set("kind", closure.kind);
        return jsonResponse(201, o);
      },
      guardFor(roles({Role::admin, Role::coordinator}), app.access));

  router.add(
      "POST", "/api/v1/participants/{id}/plans",
      [&app](Request& request) {
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
          if (prefs->has("weekdays")) {
            const auto days = prefs->getArray("weekdays");
            if (!days) throw Error(ErrorCode::bad_request, "must be an array", "preferences.weekdays");
            for (std::size_t i = 0; i < days->size(); ++i) {
              const auto value = days->get(static_cast<unsigned>(i));
              if (!value.isString()) throw Error(ErrorCode::bad_request, "must be strings", "preferences.weekdays");
              input.preferences.weekdays.push_back(weekdayField(value.extract<std::string>(), "preferences.weekdays"));
            }
          }
          if (optionalString(*prefs, "earliest"))
            input.preferences.earliest = timeField(*prefs, "earliest", "preferences.earliest");
          if (optionalString(*prefs, "latest"))
            input.preferences.latest = timeField(*prefs, "latest", "preferences.latest");
        }
        const auto participantId = core::ParticipantId(idParam(request));
        app.scheduling.prepareCalendars(input.practitionerId, participantId);
        return app.idempotent.run(
            request, "POST /api/v1/participants/{id}/plans", KeyRule::optional, [&](storage::Transaction& tx) {
              const auto outcome = app.scheduling.placePlanIn(tx, participantId, input, auditContextOf(request));
              Poco::JSON::Array sessions;
              for (const auto& s : outcome.sessions) sessions.add(sessionJson(s, principalOf(request)));
              Poco::JSON::Object o;
              o.set("id", outcome.planId ? Poco::Dynamic::Var(outcome.planId->toString()) : Poco::Dynamic::Var());
              o.set("dry_run", input.dryRun);
              o.set("sessions", sessions);
              return jsonResponse(input.dryRun ? 200 : 201, o);
            });
      },
      guardFor(roles({Role::coordinator}), app.access));

  router.add(
      "GET", "/api/v1/sessions",
      [&app](Request& request) {
        const auto& who = principalOf(request);
        scheduler::SessionFilter filter;
        if (const auto id = idQuery(request, "practitioner_id")) filter.practitionerId = core::PractitionerId(*id);
        if (const auto id = idQuery(request, "participant_id")) filter.participantId = core::ParticipantId(*id);
        const auto instantQuery = [&](const char* name) -> std::optional<core::Instant> {
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
        };
        filter.from = instantQuery("from");
        filter.to = instantQuery("to");
        filter.limit = limitParam(request);
        if (const auto cursor = request.queryValue("cursor"))
          filter.afterSessionId = core::SessionId(cursorParam(*cursor));
        // Practitioners see their own sessions, participants their own.
        if (who.role == Role::practitioner)
          filter.practitionerId = core::PractitionerId(who.practitionerId.value_or(-1));
        if (who.role == Role::participant) filter.participantId = core::ParticipantId(who.participantId.value_or(-1));
        const auto sessions = app.scheduling.sessions(filter);
        Poco::JSON::Array items;
        for (const auto& s : sessions) items.add(sessionJson(s, who));
        return pageResponse(items, filter.limit, sessions.empty() ? 0 : sessions.back().id->value());
      },
      guardFor(roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance, Role::participant}),
               app.access));

  router.add(
      "POST", "/api/v1/sessions",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const auto practitioner = core::PractitionerId(idField(*body, "practitioner_id"));
        const auto participant = core::ParticipantId(idField(*body, "participant_id"));
        const std::string startText = requireString(*body, "start");
        const auto start = parsed("start", [&] { return core::parseInstant(startText); });
        const auto minutes = minutesField(*body, "minutes");
        app.scheduling.prepareCalendars(practitioner, participant);
        return app.idempotent.run(request, "POST /api/v1/sessions", KeyRule::optional, [&](storage::Transaction& tx) {
          return jsonResponse(201, sessionJson(app.scheduling.bookSessionIn(tx, practitioner, participant, start,
                                                                            minutes, auditContextOf(request)),
                                               principalOf(request)));
        });
      },
      guardFor(roles({Role::coordinator}), app.access));

  router.add(
      "PATCH", "/api/v1/sessions/{id}",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const std::string startText = requireString(*body, "start");
        const auto start = parsed("start", [&] { return core::parseInstant(startText); });
        const auto view = app.scheduling.reschedule(core::SessionId(idParam(request)), start, auditContextOf(request));
        return jsonResponse(200, sessionJson(view, principalOf(request)));
      },
      guardFor(grants({{Role::coordinator, Scope::all}, {Role::practitioner, Scope::session_of_practitioner}}),
               app.access));

  router.add(
      "POST", "/api/v1/sessions/{id}/cancel",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const auto& who = principalOf(request);
        std::string by = requireString(*body, "by");
        // A participant cancels as the participant, a practitioner as the practitioner.
        if (who.role == Role::participant && by != "participant")
          throw Error(ErrorCode::forbidden, "participants cancel as participant");
        if (who.role == Role::practitioner && by == "program")
          throw Error(ErrorCode::forbidden, "only the program cancels as program");
        const std::string reason = requireString(*body, "reason");
        const auto session = core::SessionId(idParam(request));
        const auto view =
            app.scheduling.cancel(session, reason, scheduler::parseCancelledBy(by), auditContextOf(request));
        return jsonResponse(200, sessionJson(view, principalOf(request)));
      },
      guardFor(grants({{Role::coordinator, Scope::all},
                       {Role::practitioner, Scope::session_of_practitioner},
                       {Role::participant, Scope::session_of_participant}}),
               app.access));

  router.add(
      "POST", "/api/v1/sessions/{id}/attendance",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const bool coordinator = principalOf(request).role == Role::coordinator;
        const std::string status = requireString(*body, "status");
        const auto session = core::SessionId(idParam(request));
        const auto view = app.scheduling.recordAttendance(session, scheduler::parseAttendanceStatus(status),
                                                          coordinator, auditContextOf(request));
        return jsonResponse(200, sessionJson(view, principalOf(request)));
      },
      guardFor(grants({{Role::coordinator, Scope::all}, {Role::practitioner, Scope::session_of_practitioner}}),
               app.access));

  addAwarenessDayRoutes(router, app);
}

namespace {
Poco::JSON::Object awarenessDayJson(const scheduler::AwarenessDayView& day, const date::time_zone& zone) {
  Poco::JSON::Object o;
  o.set("id", day.id.toString());
  o.set("start", core::formatInstant(day.slot.start, zone));
  o.set("end", core::formatInstant(day.slot.end, zone));
  o.set("capacity", day.capacity);
  o.set("seats_taken", day.seatsTaken);
  o.set("location", day.location);
  Poco::JSON::Array speakers;
  for (const auto& speaker : day.speakers) speakers.add(speaker);
  o.set("speakers", speakers);
  return o;
}

Poco::JSON::Object seatJson(const scheduler::SeatView& seat) {
  Poco::JSON::Object o;
  o.set("awareness_day_id", seat.awarenessDayId.toString());
  o.set("participant_id", seat.participantId.toString());
  o.set("participant_code", seat.participantCode);
  o.set("status", seat.status);
  return o;
}
}  // namespace

void addAwarenessDayRoutes(Router& router, AppContext& app) {
  const auto& zone = app.programZone;
  router.add(
      "POST", "/api/v1/group-sessions",
      [&app, &zone](Request& request) {
        const auto body = request.jsonObject();
        const std::string startText = requireString(*body, "start");
        const auto start = parsed("start", [&] { return core::parseInstant(startText); });
        const auto minutes = requireIntIn(*body, "minutes", 30, 720);
        const auto capacity = optionalIntIn(*body, "capacity", 1, 500);
        if (!body->has("speakers") || !body->isArray("speakers")) {
          throw Error(ErrorCode::bad_request, "must be an array of names", "speakers");
        }
        std::vector<std::string> speakers;
        const auto list = body->getArray("speakers");
        for (std::size_t i = 0; i < list->size(); ++i) {
          const auto value = list->get(static_cast<unsigned>(i));
          if (!value.isString()) throw Error(ErrorCode::bad_request, "must be strings", "speakers");
          speakers.push_back(value.extract<std::string>());
        }
        const auto day = app.awarenessDays.create(
            start, static_cast<int>(minutes), capacity ? std::optional<int>(static_cast<int>(*capacity)) : std::nullopt,
            requireString(*body, "location"), speakers, auditContextOf(request));
        return jsonResponse(201, awarenessDayJson(day, zone));
      },
      guardFor(roles({Role::coordinator}), app.access));

  router.add(
      "GET", "/api/v1/group-sessions/{id}",
      [&app, &zone](Request& request) {
        return jsonResponse(200, awarenessDayJson(app.awarenessDays.get(core::GroupSessionId(idParam(request))), zone));
      },
      guardFor(roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance}), app.access));

  router.add(
      "POST", "/api/v1/group-sessions/{id}/seats",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const auto dayId = core::GroupSessionId(idParam(request));
        const auto participantId = core::ParticipantId(idField(*body, "participant_id"));
        app.awarenessDays.prepareSeat(dayId, participantId);
        return app.idempotent.run(
            request, "POST /api/v1/group-sessions/{id}/seats", KeyRule::optional, [&](storage::Transaction& tx) {
              return jsonResponse(
                  201, seatJson(app.awarenessDays.seatIn(tx, dayId, participantId, auditContextOf(request))));
            });
      },
      guardFor(roles({Role::coordinator}), app.access));

  router.add(
      "POST", "/api/v1/group-sessions/{id}/attendance",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        return jsonResponse(
            200, seatJson(app.awarenessDays.recordAttendance(core::GroupSessionId(idParam(request)),
                                                             core::ParticipantId(idField(*body, "participant_id")),
                                                             requireString(*body, "status"), auditContextOf(request))));
      },
      guardFor(roles({Role::coordinator}), app.access));
}

}  // namespace parcours::api
