// Documents (docs/api.md "Billing and documents"): issued documents as JSON and as their stored
// PDF, statements of account rendered on demand, e-mailing through the
// outbox, and reminders of overdue installments. One function per route; who
// may call each is declared in the table at the end.
#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "api/route_table.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

using Route = RouteContext<AppContext>;

// Who may read which document is decided by the document itself (its
// participant, its kind), which a path {number} does not give the route's
// guard: checked here, after the lookup, with the same 404 as an unknown one.
// A participant sees only their own documents, a coordinator only
// attestations: anything else is "unknown" to them.
void requireReadable(const identity::Principal& who, const invoices::DocumentView& document) {
  const bool foreign =
      who.role == Role::participant && who.participantId != document.participantId;
  const bool notAttestation = who.role == Role::coordinator && document.kind != invoices::DocumentKind::attestation;
  if (foreign || notAttestation) throw Error(ErrorCode::not_found, "no such document");
}

Response pdfResponse(std::string bytes, const std::string& filename) {
  Response response = Response::text(200, "application/pdf", std::move(bytes));
  response.headers.emplace_back("Content-Disposition", "inline; filename=\"" + filename + "\"");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

// A document read by `request`'s caller: 404 when unknown or not theirs to
// see; the read is audited (documents carry names and addresses).
template <class F>
std::string readDocument(AppContext& app, const Request& request, const std::string& number, F&& produce) {
  return app.database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const auto document = app.documents.find(tx, number);
    if (!document) throw Error(ErrorCode::not_found, "no such document");
    requireReadable(principalOf(request), *document);
    const auto context = auditContextOf(request);
    identity::recordAudit(tx,
                          {context.actorUserId, "document.read", "participant", document->participantId.toString(),
                           context.requestId, number},
                          app.clock.now());
    return produce(tx, *document);
  });
}

std::optional<core::Language> languageQuery(const Request& request) {
  const auto text = request.queryValue("lang");
  if (!text) return std::nullopt;
  if (*text == "fr") return core::Language::fr;
  if (*text == "en") return core::Language::en;
  throw Error(ErrorCode::bad_request, "must be fr or en", "lang");
}

Response documentPdf(Route& route, Request& request) {
  AppContext& app = route.services();
  const std::string number = request.param("number");
  auto bytes = readDocument(app, request, number, [&](storage::Transaction& tx, const invoices::DocumentView&) {
    auto pdf = app.documents.pdf(tx, number);
    if (!pdf) throw Error(ErrorCode::unavailable, "the document's PDF is not rendered yet");
    return std::move(*pdf);
  });
  return pdfResponse(std::move(bytes), number + ".pdf");
}

Response getDocument(Route& route, Request& request) {
  AppContext& app = route.services();
  auto body = readDocument(app, request, request.param("number"),
                           [&](storage::Transaction&, const invoices::DocumentView& document) {
                             JsonWriter w;
                             w.beginObject()
                                 .field("number", document.number)
                                 .field("kind", invoices::toString(document.kind))
                                 .field("participant_id", document.participantId)
                                 .field("issued_at", core::formatInstant(document.issuedAt, app.programZone))
                                 .field("total_cents", document.total.cents())
                                 .field("currency", document.total.currency())
                                 .field("sha256", document.contentSha256)
                                 .key("content")
                                 .raw(document.contentJson)
                                 .endObject();
                             return w.take();
                           });
  return Response::json(200, std::move(body));
}

Response statementPdf(Route& route, Request& request) {
  const auto id = pathId<core::ParticipantId>(request);
  const auto bytes =
      route.services().mail.statementPdf(id, optionalDateQuery(request, "from"), optionalDateQuery(request, "to"),
                                         languageQuery(request), auditContextOf(request));
  return pdfResponse(bytes, "statement.pdf");
}

Response sendDocument(Route& route, Request& request) {
  const std::string number = request.param("number");
  const auto id = route.services().mail.sendDocumentIn(route.tx(), number, auditContextOf(request));
  JsonWriter w;
  w.beginObject().field("outbox_id", id).field("number", number).field("status", "pending").endObject();
  return jsonResponse(202, w);
}

Response listOutbox(Route& route, Request& request) {
  AppContext& app = route.services();
  std::optional<invoices::OutboxStatus> status;
  if (const auto text = request.queryValue("status")) {
    status = invoices::outboxStatusFromString(*text);
    if (!status) throw Error(ErrorCode::bad_request, "must be pending, sending, retry, sent or failed", "status");
  }
  const int limit = limitParam(request);
  core::OutboxId after{0};
  if (const auto cursor = request.queryValue("cursor")) after = core::OutboxId(cursorParam(*cursor));
  const auto items = app.database.transact(
      storage::TxMode::read, [&](storage::Transaction& tx) { return app.outbox.list(tx, status, after, limit); });
  const auto formatInstant = [&](core::Instant at) { return core::formatInstant(at, app.programZone); };
  return pageResponse(
      items, limit,
      [&](JsonWriter& w, const invoices::OutboxItem& item) {
        w.beginObject()
            .field("id", item.id)
            .field("kind", invoices::toString(item.kind))
            .field("document_number", item.documentNumber)
            .field("participant_id", item.participantId)
            .field("status", invoices::toString(item.status))
            .field("attempts", item.attempts)
            .field("last_error", item.lastError)
            .field("created_at", formatInstant(item.createdAt))
            .field("sent_at", item.sentAt, formatInstant)
            .endObject();
      },
      [](const invoices::OutboxItem& item) { return item.id.value(); });
}

Response remindOverdue(Route& route, Request& request) {
  const auto run = route.services().mail.remindOverdue(auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("reminded", run.reminded)
      .field("skipped", run.skipped)
      .field("without_email", run.withoutEmail)
      .endObject();
  return jsonResponse(200, w);
}

// After a request queued an e-mail, once it is committed.
void wakeOutbox(AppContext& app) {
  app.wakeOutbox();
}

}  // namespace

void addDocumentRoutes(Router& router, AppContext& app) {
  const Access readers = roles({Role::finance, Role::coordinator, Role::participant});
  const Access finance = roles({Role::finance});
  const Access statementReaders = grants({{Role::finance, Scope::all}, {Role::participant, Scope::self_participant}});
  addRoutes<AppContext>(
      router, app, app.access, &app.idempotent,
      {
          // Before GET /documents/{number}, which would match it too.
          {"GET", "/api/v1/documents/{number}.pdf", documentPdf, readers},
          {"GET", "/api/v1/documents/{number}", getDocument, readers},
          {"GET", "/api/v1/participants/{id}/statement.pdf", statementPdf, statementReaders},
          {"POST", "/api/v1/documents/{number}/send", sendDocument, finance, Idempotency::honoured, nullptr, wakeOutbox},
          {"GET", "/api/v1/outbox", listOutbox, finance},
          {"POST", "/api/v1/reminders/overdue", remindOverdue, finance, Idempotency::none, nullptr, wakeOutbox},
      });
}

}  // namespace parcours::api
