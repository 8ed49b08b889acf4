#include "api/app_context.h"
#include "api/json.h"
#include "core/error.h"

namespace parcours::api {

using identity::Role;

namespace {
Poco::JSON::Object practitionerJson(const scheduler::PractitionerView& p) {
  Poco::JSON::Object o;
  o.set("id", p.id.toString());
  o.set("display_name", p.displayName);
  o.set("discipline", p.discipline);
  o.set("email", p.email);
  o.set("time_zone", p.timeZone);
  o.set("session_minutes", p.sessionMinutes);
  o.set("buffer_minutes", p.bufferMinutes);
  o.set("created_at", core::formatInstantUtc(p.createdAt));
  return o;
}
}  // namespace

void addPractitionerRoutes(Router& router, AppContext& app) {
  const Access staff = roles({Role::admin, Role::coordinator, Role::practitioner, Role::finance});

  router.add(
      "POST", "/api/v1/practitioners",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        scheduler::NewPractitioner input;
        input.displayName = optionalString(*body, "display_name");
        input.discipline = optionalString(*body, "discipline");
        input.email = optionalString(*body, "email");
        input.timeZone = optionalString(*body, "time_zone");
        input.sessionMinutes = optionalInt64(*body, "session_minutes");
        input.bufferMinutes = optionalInt64(*body, "buffer_minutes");
        return jsonResponse(201, practitionerJson(app.practitioners.create(input, auditContextOf(request))));
      },
      guardFor(roles({Role::admin, Role::coordinator}), app.access));

  router.add(
      "GET", "/api/v1/practitioners",
      [&app](Request& request) {
        std::optional<core::PractitionerId> after;
        if (const auto cursor = request.queryValue("cursor")) after = core::PractitionerId(cursorParam(*cursor));
        const int limit = limitParam(request);
        const auto views = app.practitioners.list(after, limit);
        Poco::JSON::Array items;
        for (const auto& view : views) items.add(practitionerJson(view));
        return pageResponse(items, limit, views.empty() ? 0 : views.back().id.value());
      },
      guardFor(staff, app.access));

  router.add(
      "GET", "/api/v1/practitioners/{id}",
      [&app](Request& request) {
        return jsonResponse(200, practitionerJson(app.practitioners.get(core::PractitionerId(idParam(request)))));
      },
      guardFor(staff, app.access));
}

}  // namespace parcours::api
