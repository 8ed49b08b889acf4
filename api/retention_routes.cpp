#include "api/retention_routes.h"

#include "api/app_context.h"
#include "api/json_writer.h"
#include "api/route_table.h"

namespace parcours::api {

namespace {

using Route = RouteContext<retention::RetentionService>;

// ?dry_run=true|false; a run (false) when absent.
bool dryRunQuery(const Request& request) {
  const auto text = request.queryValue("dry_run");
  if (!text || *text == "false") return false;
  if (*text == "true") return true;
  throw core::Error(core::ErrorCode::bad_request, "must be true or false", "dry_run");
}

Response runRetention(Route& route, Request& request) {
  const auto run = route.services().run(dryRunQuery(request), auditContextOf(request));
  JsonWriter w;
  w.beginObject().field("dry_run", run.dryRun).key("files").beginArray();
  for (const auto& file : run.files) {
    w.beginObject()
        .field("participant_id", file.id)
        .field("code", file.code)
        .field("status", participants::toString(file.status))
        .field("closed_on", core::formatDate(file.closedOn))
        .endObject();
  }
  w.endArray().endObject();
  return jsonResponse(200, w);
}

}  // namespace

void addRetentionRoutes(Router& router, retention::RetentionService& retention, const AccessResolver& access) {
  addRoutes<retention::RetentionService>(
      router, retention, access, nullptr,
      {
          {"POST", "/api/v1/retention/run", runRetention, roles({identity::Role::admin})},
      });
}

}  // namespace parcours::api
