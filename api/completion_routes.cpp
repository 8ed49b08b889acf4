// Completion (docs/api.md "Participants"): the coordinator closes a participant's
// file as completed once the criteria of docs/domain.md are met; the attestation
// of completion is issued in the same transaction (program/completion_service.h).
#include "api/app_context.h"
#include "api/json_writer.h"
#include "api/route_table.h"

namespace parcours::api {

using identity::Role;

namespace {

using Route = RouteContext<AppContext>;

Response completeParticipant(Route& route, Request& request) {
  const auto id = pathId<core::ParticipantId>(request);
  const auto done = route.services().completion.completeIn(route.tx(), id, auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("id", id)
      .field("code", done.participant.code)
      .field("status", participants::toString(done.participant.status))
      .field("attestation_number", done.attestationNumber)
      .endObject();
  return jsonResponse(200, w);
}

Response attestationPdf(Route& route, Request& request) {
  const auto id = pathId<core::ParticipantId>(request);
  Response response =
      Response::text(200, "application/pdf", route.services().completion.attestationPdf(id, auditContextOf(request)));
  response.headers.emplace_back("Content-Disposition", "inline; filename=\"attestation.pdf\"");
  return response;
}

}  // namespace

void addCompletionRoutes(Router& router, AppContext& app) {
  const Access coordinator = roles({Role::coordinator});
  addRoutes<AppContext>(
      router, app, app.access, &app.idempotent,
      {
          {"POST", "/api/v1/participants/{id}/complete", completeParticipant, coordinator, Idempotency::honoured},
          {"GET", "/api/v1/participants/{id}/attestation.pdf", attestationPdf, coordinator},
      });
}

}  // namespace parcours::api
