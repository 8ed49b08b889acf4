// Practitioner records (docs/api.md "Practitioners"): creating, listing and
// reading them. One function per route; who may call each is declared in the
// table at the end. Their calendars are in calendar_routes.cpp.
#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/route_table.h"
#include "core/error.h"

namespace parcours::api {

using identity::Role;
using scheduler::PractitionerView;

namespace {

using Route = RouteContext<AppContext>;

void writePractitioner(JsonWriter& w, const PractitionerView& p) {
  w.beginObject()
      .field("id", p.id)
      .field("display_name", p.displayName)
      .field("discipline", p.discipline)
      .field("email", p.email)
      .field("time_zone", p.timeZone)
      .field("session_minutes", p.sessionMinutes)
      .field("buffer_minutes", p.bufferMinutes)
      .field("created_at", core::formatInstantUtc(p.createdAt))
      .endObject();
}

Response practitionerResponse(int status, const PractitionerView& p) {
  JsonWriter w;
  writePractitioner(w, p);
  return jsonResponse(status, w);
}

Response createPractitioner(Route& route, Request& request) {
  const auto body = request.jsonObject();
  scheduler::NewPractitioner input;
  input.displayName = optionalString(*body, "display_name");
  input.discipline = optionalString(*body, "discipline");
  input.email = optionalString(*body, "email");
  input.timeZone = optionalString(*body, "time_zone");
  input.sessionMinutes = optionalInt64(*body, "session_minutes");
  input.bufferMinutes = optionalInt64(*body, "buffer_minutes");
  return practitionerResponse(201, route.services().practitioners.create(input, auditContextOf(request)));
}

Response listPractitioners(Route& route, Request& request) {
  std::optional<core::PractitionerId> after;
  if (const auto cursor = request.queryValue("cursor")) after = core::PractitionerId(cursorParam(*cursor));
  const int limit = limitParam(request);
  return pageResponse(route.services().practitioners.list(after, limit), limit, writePractitioner,
                      [](const PractitionerView& p) { return p.id.value(); });
}

Response getPractitioner(Route& route, Request& request) {
  return practitionerResponse(200, route.services().practitioners.get(pathId<core::PractitionerId>(request)));
}

}  // namespace

void addPractitionerRoutes(Router& router, AppContext& app) {
  const Access staff = roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance});
  addRoutes<AppContext>(router, app, app.access, &app.idempotent,
                        {
                            {"POST", "/api/v1/practitioners", createPractitioner,
                             roles({Role::admin, Role::coordinator})},
                            {"GET", "/api/v1/practitioners", listPractitioners, staff},
                            {"GET", "/api/v1/practitioners/{id}", getPractitioner, staff},
                        });
}

}  // namespace parcours::api
