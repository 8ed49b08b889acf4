// Calendars (docs/api.md "Scheduling"): a practitioner's weekly availability,
// time off, free slots and calendar feed, and the program's closures. One
// function per route; who may call each is declared in the table at the end.
#include <charconv>

#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "api/route_table.h"
#include "api/scheduling_fields.h"
#include "core/error.h"
#include "scheduler/icalendar.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

using Route = RouteContext<AppContext>;

std::vector<scheduler::WeeklyWindow> weeklyWindows(const Poco::JSON::Object& body) {
  if (!body.has("weekly") || !body.isArray("weekly")) throw Error(ErrorCode::bad_request, "must be an array", "weekly");
  const auto weekly = body.getArray("weekly");
  if (weekly->size() > 70) throw Error(ErrorCode::unprocessable, "at most 70 windows", "weekly");
  std::vector<scheduler::WeeklyWindow> windows;
  for (std::size_t i = 0; i < weekly->size(); ++i) {
    const std::string field = "weekly[" + std::to_string(i) + "]";
    const auto item = weekly->getObject(static_cast<unsigned>(i));
    if (!item) throw Error(ErrorCode::bad_request, "must be an object", field);
    windows.push_back({weekdayField(requireString(*item, "weekday"), field + ".weekday"),
                       timeField(*item, "start", field + ".start"), timeField(*item, "end", field + ".end")});
  }
  return windows;
}

// Answers with the availability as it was sent.
Response setAvailability(Route& route, Request& request) {
  const auto body = request.jsonObject();
  route.services().scheduling.setAvailability(pathId<core::PractitionerId>(request), weeklyWindows(*body),
                                              auditContextOf(request));
  return Response::json(200, toJson(*body));
}

Response getAvailability(Route& route, Request& request) {
  JsonWriter w;
  w.beginObject().key("weekly").beginArray();
  for (const auto& window : route.services().scheduling.availability(pathId<core::PractitionerId>(request))) {
    w.beginObject()
        .field("weekday", weekdayName(window.weekday))
        .field("start", core::formatLocalTime(window.start))
        .field("end", core::formatLocalTime(window.end))
        .endObject();
  }
  w.endArray().endObject();
  return jsonResponse(200, w);
}

Response addTimeOff(Route& route, Request& request) {
  const auto body = request.jsonObject();
  const scheduler::DateRange range{dateField(*body, "start_date"), dateField(*body, "end_date")};
  const auto id = route.services().scheduling.addTimeOff(pathId<core::PractitionerId>(request), range,
                                                         optionalString(*body, "reason"), auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("id", id)
      .field("start_date", core::formatDate(range.first))
      .field("end_date", core::formatDate(range.last))
      .endObject();
  return jsonResponse(201, w);
}

Response freeSlots(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto practitioner = pathId<core::PractitionerId>(request);
  std::optional<int> minutes;
  // The service says 422 outside 30..120; anything beyond a day is no length at all.
  if (const auto value = intQuery(request, "minutes", 0, 24 * 60)) minutes = static_cast<int>(*value);
  const auto slots =
      app.scheduling.freeSlots(practitioner, dateQuery(request, "from"), dateQuery(request, "to"), minutes);
  const auto& zone = core::findZone(app.practitioners.get(practitioner).timeZone);
  JsonWriter w;
  w.beginObject().key("items").beginArray();
  for (const auto& slot : slots) {
    w.beginObject()
        .field("start", core::formatInstant(slot.start, zone))
        .field("end", core::formatInstant(slot.end, zone))
        .endObject();
  }
  w.endArray().endObject();
  return jsonResponse(200, w);
}

Response newFeedToken(Route& route, Request& request) {
  const auto id = pathId<core::PractitionerId>(request);
  const std::string token = route.services().scheduling.newFeedToken(id, auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("token", token)
      .field("url", "/api/v1/practitioners/" + id.toString() + "/calendar.ics?token=" + token)
      .endObject();
  return jsonResponse(201, w);
}

// The feed token is the credential: calendar clients cannot send headers.
Response calendarFeed(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto id = idParam(request);
  const auto token = request.queryValue("token");
  const auto owner = token ? app.scheduling.practitionerOfFeedToken(*token) : std::nullopt;
  if (!owner || owner->value() != id) throw Error(ErrorCode::not_found, "no such calendar");
  const auto sessions = app.scheduling.feedSessions(*owner);  // from 90 days back, forward
  return Response::text(200, "text/calendar; charset=utf-8",
                        scheduler::renderICalendar(sessions, "Parcours — " + app.practitioners.get(*owner).displayName));
}

int yearQuery(const Request& request) {
  const auto text = request.queryValue("year");
  int year = 0;
  if (!text) throw Error(ErrorCode::bad_request, "is required", "year");
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), year);
  if (ec != std::errc() || end != text->data() + text->size() || year < 1583 || year > 9999) {
    throw Error(ErrorCode::bad_request, "must be a year from 1583 to 9999", "year");
  }
  return year;
}

void writeClosure(JsonWriter& w, const scheduler::Closure& closure) {
  w.beginObject()
      .field("date", core::formatDate(closure.date))
      .field("name", closure.name)
      .field("kind", closure.kind)
      .endObject();
}

Response listClosures(Route& route, Request& request) {
  JsonWriter w;
  w.beginObject().key("items").beginArray();
  for (const auto& closure : route.services().scheduling.closures(yearQuery(request))) writeClosure(w, closure);
  w.endArray().endObject();
  return jsonResponse(200, w);
}

Response addClosure(Route& route, Request& request) {
  const auto body = request.jsonObject();
  const auto closure = route.services().scheduling.addClosure(dateField(*body, "date"), requireString(*body, "name"),
                                                              auditContextOf(request));
  JsonWriter w;
  writeClosure(w, closure);
  return jsonResponse(201, w);
}

}  // namespace

void addCalendarRoutes(Router& router, AppContext& app) {
  const Access staff = roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance});
  const Access calendarKeepers =
      grants({{Role::coordinator, Scope::all}, {Role::practitioner, Scope::that_practitioner}});
  addRoutes<AppContext>(router, app, app.access, &app.idempotent,
                        {
                            {"PUT", "/api/v1/practitioners/{id}/availability", setAvailability, calendarKeepers},
                            {"GET", "/api/v1/practitioners/{id}/availability", getAvailability, staff},
                            {"POST", "/api/v1/practitioners/{id}/time-off", addTimeOff, calendarKeepers},
                            {"GET", "/api/v1/practitioners/{id}/slots", freeSlots, staff},
                            {"POST", "/api/v1/practitioners/{id}/feed-token", newFeedToken, calendarKeepers},
                            {"GET", "/api/v1/practitioners/{id}/calendar.ics", calendarFeed, anyone()},
                            {"GET", "/api/v1/closures", listClosures, staff},
                            {"POST", "/api/v1/closures", addClosure, roles({Role::admin, Role::coordinator})},
                        });
}

}  // namespace parcours::api
