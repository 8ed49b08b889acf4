// Awareness days (docs/api.md "Awareness days"): group sessions with a
// capacity and speakers, their seats and attendance. One function per route;
// who may call each, and which honour an Idempotency-Key, is declared in the
// table at the end.
#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "api/route_table.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

using Route = RouteContext<AppContext>;

Response awarenessDayResponse(int status, const scheduler::AwarenessDayView& day, const date::time_zone& zone) {
  JsonWriter w;
  w.beginObject()
      .field("id", day.id)
      .field("start", core::formatInstant(day.slot.start, zone))
      .field("end", core::formatInstant(day.slot.end, zone))
      .field("capacity", day.capacity)
      .field("seats_taken", day.seatsTaken)
      .field("location", day.location)
      .key("speakers")
      .beginArray();
  for (const auto& speaker : day.speakers) w.value(speaker);
  w.endArray().endObject();
  return jsonResponse(status, w);
}

Response seatResponse(int status, const scheduler::SeatView& seat) {
  JsonWriter w;
  w.beginObject()
      .field("awareness_day_id", seat.awarenessDayId)
      .field("participant_id", seat.participantId)
      .field("participant_code", seat.participantCode)
      .field("status", scheduler::toString(seat.status))
      .endObject();
  return jsonResponse(status, w);
}

std::vector<std::string> speakersField(const Poco::JSON::Object& body) {
  if (!body.has("speakers") || !body.isArray("speakers")) {
    throw Error(ErrorCode::bad_request, "must be an array of names", "speakers");
  }
  std::vector<std::string> speakers;
  const auto list = body.getArray("speakers");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto value = list->get(static_cast<unsigned>(i));
    if (!value.isString()) throw Error(ErrorCode::bad_request, "must be strings", "speakers");
    speakers.push_back(value.extract<std::string>());
  }
  return speakers;
}

Response createAwarenessDay(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto body = request.jsonObject();
  const std::string startText = requireString(*body, "start");
  const auto start = parsed("start", [&] { return core::parseInstant(startText); });
  const auto minutes = requireIntIn(*body, "minutes", 30, 720);
  const auto capacity = optionalIntIn(*body, "capacity", 1, 500);
  const auto speakers = speakersField(*body);
  const auto day = app.awarenessDays.create(
      start, static_cast<int>(minutes), capacity ? std::optional<int>(static_cast<int>(*capacity)) : std::nullopt,
      requireString(*body, "location"), speakers, auditContextOf(request));
  return awarenessDayResponse(201, day, app.programZone);
}

Response getAwarenessDay(Route& route, Request& request) {
  AppContext& app = route.services();
  return awarenessDayResponse(200, app.awarenessDays.get(pathId<core::GroupSessionId>(request)), app.programZone);
}

struct SeatRequest {
  core::GroupSessionId day;
  core::ParticipantId participant;
};

SeatRequest seatRequest(Request& request) {
  const auto body = request.jsonObject();
  const auto day = pathId<core::GroupSessionId>(request);
  return {day, core::ParticipantId(idField(*body, "participant_id"))};
}

// Reads the request, then makes the lock rows the seat's transaction bumps.
void prepareSeat(Route& route, Request& request) {
  const SeatRequest seat = seatRequest(request);
  route.services().awarenessDays.prepareSeat(seat.day, seat.participant);
}

Response seatParticipant(Route& route, Request& request) {
  const SeatRequest seat = seatRequest(request);
  return seatResponse(
      201, route.services().awarenessDays.seatIn(route.tx(), seat.day, seat.participant, auditContextOf(request)));
}

Response recordSeatAttendance(Route& route, Request& request) {
  const auto body = request.jsonObject();
  return seatResponse(200, route.services().awarenessDays.recordAttendance(
                               pathId<core::GroupSessionId>(request),
                               core::ParticipantId(idField(*body, "participant_id")), requireString(*body, "status"),
                               auditContextOf(request)));
}

}  // namespace

void addAwarenessDayRoutes(Router& router, AppContext& app) {
  const Access coordinator = roles({Role::coordinator});
  addRoutes<AppContext>(
      router, app, app.access, &app.idempotent,
      {
          {"POST", "/api/v1/group-sessions", createAwarenessDay, coordinator},
          {"GET", "/api/v1/group-sessions/{id}", getAwarenessDay,
           roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance})},
          {"POST", "/api/v1/group-sessions/{id}/seats", seatParticipant, coordinator, Idempotency::honoured,
           prepareSeat},
          {"POST", "/api/v1/group-sessions/{id}/attendance", recordSeatAttendance, coordinator},
      });
}

}  // namespace parcours::api
