// Completion (docs/api.md "Participants"): the coordinator closes a participant's
// file as completed once the criteria of docs/domain.md are met; the attestation
// of completion is issued in the same transaction.
#include "api/app_context.h"
#include "api/idempotency.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/router.h"
#include "invoices/document_contents.h"
#include "participants/completion.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

// The participant's attestation, issued at completion; 404 before.
std::optional<invoices::DocumentView> attestationOf(storage::Transaction& tx, const invoices::DocumentStore& documents,
                                                    std::int64_t participantId) {
  invoices::DocumentFilter filter;
  filter.participantId = core::ParticipantId(participantId);
  filter.kind = invoices::DocumentKind::attestation;
  filter.limit = 1;
  auto rows = documents.list(tx, filter);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front().view);
}

}  // namespace

void addCompletionRoutes(Router& router, AppContext& app) {
  router.add(
      "POST", "/api/v1/participants/{id}/complete",
      [&app](Request& request) {
        const auto id = idParam(request);
        return app.idempotent.run(request, "POST /api/v1/participants/{id}/complete", KeyRule::optional,
                                  [&](storage::Transaction& tx) {
                                    const auto context = auditContextOf(request);
                                    // The row first: parallel completions wait here, then read the status.
                                    app.participants.lockIn(tx, id);  // 404 when unknown
                                    const auto before = app.participants.detailsIn(tx, id);
                                    if (before.status != participants::Status::in_therapy) {
                                      // The lifecycle's own 409 names the current status.
                                      participants::apply(before.status, participants::Transition::complete);
                                    }
                                    const auto record = app.scheduling.therapyRecordIn(tx, core::ParticipantId(id));
                                    participants::CompletionFacts facts;
                                    facts.awarenessDayAttended = record.awarenessDayAttendedOn.has_value();
                                    facts.sessionsAttended = record.sessionsAttended;
                                    facts.sessionsMissed = record.sessionsMissed;
                                    facts.sessionsPending = record.sessionsPending;
                                    facts.balanceCents = app.billing.totalsIn(tx, core::ParticipantId(id)).balance();
                                    const auto unmet = participants::unmetCompletionCriteria(facts);
                                    if (!unmet.empty()) {
                                      JsonWriter list;
                                      list.beginArray();
                                      for (const auto& u : unmet) list.value(u);
                                      list.endArray();
                                      throw Error(ErrorCode::conflict, "the completion criteria are not met")
                                          .withMember("unmet", list.take())
                                          .withMember("current_status", core::jsonQuote("in_therapy"));
                                    }
                                    const auto after = app.participants.completeIn(tx, id, context);
                                    const auto now = app.clock.now();
                                    invoices::AttestationContent attestation;
                                    attestation.participant = {before.code, before.givenName, before.familyName,
                                                               before.address, before.language};
                                    attestation.referredOn = before.referredOn;
                                    attestation.completedOn = core::localDateOf(now, app.programZone);
                                    attestation.sessionsAttended = record.sessionsAttended;
                                    attestation.awarenessDayOn = record.awarenessDayAttendedOn;
                                    invoices::NewDocument document;
                                    document.kind = invoices::DocumentKind::attestation;
                                    document.participantId = core::ParticipantId(id);
                                    document.total = core::Money::zero(app.billing.options().fee.currency());
                                    document.contentJson = invoices::toJson(attestation);
                                    const auto issued = app.documents.issueDocument(tx, document, now);
                                    identity::recordAudit(tx,
                                                          {context.actorUserId, "attestation.issue", "participant",
                                                           std::to_string(id), context.requestId, issued.number},
                                                          now);
                                    JsonWriter w;
                                    w.beginObject()
                                        .field("id", std::to_string(id))
                                        .field("code", after.code)
                                        .field("status", participants::toString(after.status))
                                        .field("attestation_number", issued.number)
                                        .endObject();
                                    return Response::json(200, w.take());
                                  });
      },
      guardFor(roles({Role::coordinator}), app.access));

  router.add(
      "GET", "/api/v1/participants/{id}/attestation.pdf",
      [&app](Request& request) {
        const auto id = idParam(request);
        const auto pdf = app.database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
          app.participants.summaryIn(tx, id);  // 404 when unknown
          const auto attestation = attestationOf(tx, app.documents, id);
          if (!attestation) throw Error(ErrorCode::not_found, "no attestation: the participant has not completed");
          const auto context = auditContextOf(request);
          identity::recordAudit(tx,
                                {context.actorUserId, "document.read", "participant", std::to_string(id),
                                 context.requestId, attestation->number},
                                app.clock.now());
          auto bytes = app.documents.pdf(tx, attestation->number);
          if (!bytes) throw Error(ErrorCode::unavailable, "the attestation's PDF is not rendered yet");
          return std::move(*bytes);
        });
        Response response = Response::text(200, "application/pdf", pdf);
        response.headers.emplace_back("Content-Disposition", "inline; filename=\"attestation.pdf\"");
        return response;
      },
      guardFor(roles({Role::coordinator}), app.access));
}

}  // namespace parcours::api
