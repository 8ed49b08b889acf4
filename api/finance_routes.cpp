// Finance routes (docs/api.md "Finance"): bank statements and their lines,
// matching, deposits and period close. Finance only; one function per route,
// declared with its access and idempotency in the table at the end.
#include <Poco/JSON/Array.h>

#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "api/route_table.h"
#include "api/statement_upload.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

using Route = RouteContext<AppContext>;

// A JSON array of ids (strings of digits, as ids are written); 422 otherwise.
template <class TypedId>
std::vector<TypedId> idArray(const Poco::JSON::Object& body, const std::string& field) {
  if (!body.isArray(field)) throw Error(ErrorCode::unprocessable, "must be an array of ids", field);
  const auto array = body.getArray(field);
  if (array->size() > 1000) throw Error(ErrorCode::unprocessable, "at most 1000 ids", field);
  std::vector<TypedId> ids;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto item = array->get(static_cast<unsigned>(i));
    std::optional<std::int64_t> id;
    if (item.isString()) id = positiveId(item.convert<std::string>());
    if (!id) throw Error(ErrorCode::unprocessable, "must be an id", field + "[" + std::to_string(i) + "]");
    ids.emplace_back(*id);
  }
  return ids;
}

void writeCandidate(JsonWriter& w, const finance::Candidate& c) {
  w.beginObject().field("rule", finance::toString(c.rule)).field("reason", c.reason);
  if (!c.payments.empty()) {
    w.key("payments").beginArray();
    for (const auto p : c.payments) w.value(p);
    w.endArray();
  }
  if (c.deposit) w.field("deposit", *c.deposit);
  if (c.participant) {
    w.key("installment").beginObject().field("participant_id", *c.participant);
    w.field("seq", c.installmentSeq);
    w.endObject();
  }
  w.endObject();
}

void writeLine(JsonWriter& w, const finance::BankLineRecord& l) {
  w.beginObject()
      .field("id", l.id)
      .field("statement_id", l.statementId)
      .field("date", core::formatDate(l.bookedOn))
      .field("amount_cents", l.amountCents)
      .field("account", l.details.account)
      .field("description", l.details.description)
      .field("reference", l.details.reference)
      .field("bank_id", l.details.bankId)
      .field("status", finance::toString(l.status));
  w.key("match");
  if (l.status == finance::LineStatus::matched || l.status == finance::LineStatus::ignored) {
    w.beginObject()
        .field("rule", l.rule ? finance::toString(*l.rule) : "manual")
        .key("by");
    if (l.matchedBy) {
      w.value(*l.matchedBy);
    } else {
      w.value("auto");
    }
    w.field("at", l.matchedAt, core::formatInstantUtc);
    w.key("payments").beginArray();
    for (const auto p : l.payments) w.value(p);
    w.endArray();
    w.field("deposit", l.deposit).field("ignored_as", l.ignoreKind).field("note", l.details.note);
    w.endObject();
  } else {
    w.null();
  }
  w.field("recorded_payment_id", l.recordedPayment);
  w.key("candidates").beginArray();
  for (const auto& c : l.candidates) writeCandidate(w, c);
  w.endArray().endObject();
}

Response lineResponse(const finance::BankLineRecord& line) {
  JsonWriter w;
  writeLine(w, line);
  return jsonResponse(200, w);
}

Response listLines(Route& route, Request& request) {
  finance::BankLineFilter filter;
  if (const auto status = request.queryValue("status")) {
    filter.status = finance::lineStatusFromString(*status);
    if (!filter.status) {
      throw Error(ErrorCode::bad_request, "must be matched, proposed, unmatched or ignored", "status");
    }
  }
  filter.from = optionalDateQuery(request, "from");
  filter.to = optionalDateQuery(request, "to");
  filter.limit = limitParam(request);
  if (const auto cursor = request.queryValue("cursor")) filter.afterId = core::BankLineId(cursorParam(*cursor));
  const auto lines = route.services().reconciliation.lines(filter, auditContextOf(request));
  return pageResponse(lines, filter.limit, writeLine,
                      [](const finance::BankLineRecord& l) { return l.id.value(); });
}

Response matchLine(Route& route, Request& request) {
  const auto body = request.jsonObject();
  finance::MatchRequest match;
  if (body->has("payment_ids")) match.payments = idArray<core::PaymentId>(*body, "payment_ids");
  if (body->has("payment_ids") && match.payments.empty()) {
    throw Error(ErrorCode::unprocessable, "must name at least one payment", "payment_ids");
  }
  if (body->has("deposit_id")) match.deposit = core::DepositId(idField(*body, "deposit_id"));
  if (body->has("record")) {
    const auto record = body->getObject("record");
    if (!record) throw Error(ErrorCode::unprocessable, "must be an object", "record");
    match.record = finance::MatchRequest::Record{core::ParticipantId(idField(*record, "participant_id")),
                                                 requireString(*record, "method")};
  }
  return lineResponse(route.services().reconciliation.matchIn(route.tx(), pathId<core::BankLineId>(request), match,
                                                               auditContextOf(request)));
}

Response unmatchLine(Route& route, Request& request) {
  return lineResponse(route.services().reconciliation.unmatchIn(route.tx(), pathId<core::BankLineId>(request),
                                                                 auditContextOf(request)));
}

Response ignoreLine(Route& route, Request& request) {
  const auto body = request.jsonObject();
  finance::IgnoreRequest ignore;
  ignore.kind = requireString(*body, "kind");
  if (body->has("payment_id")) ignore.payment = core::PaymentId(idField(*body, "payment_id"));
  ignore.note = optionalString(*body, "note");
  return lineResponse(route.services().reconciliation.ignoreIn(route.tx(), pathId<core::BankLineId>(request), ignore,
                                                                auditContextOf(request)));
}

void writeDeposit(JsonWriter& w, const finance::Deposit& d) {
  w.beginObject()
      .field("id", d.id)
      .field("method", billing::toString(d.method))
      .field("deposited_on", core::formatDate(d.depositedOn))
      .field("total_cents", d.totalCents)
      .field("fee_cents", d.feeCents)
      .field("net_cents", d.netCents())
      .field("bank_line_id", d.bankLine);
  w.key("payment_ids").beginArray();
  for (const auto p : d.payments) w.value(p);
  w.endArray().endObject();
}

Response createDeposit(Route& route, Request& request) {
  const auto body = request.jsonObject();
  finance::DepositRequest deposit;
  deposit.method = requireString(*body, "method");
  deposit.depositedOn = dateField(*body, "deposited_on");
  deposit.payments = idArray<core::PaymentId>(*body, "payment_ids");
  deposit.feeCents = optionalInt64(*body, "fee_cents").value_or(0);
  const auto created = route.services().reconciliation.createDepositIn(route.tx(), deposit, auditContextOf(request));
  JsonWriter w;
  writeDeposit(w, created);
  return jsonResponse(201, w);
}

Response listDeposits(Route& route, Request& request) {
  const auto all =
      route.services().reconciliation.deposits(optionalDateQuery(request, "from"), optionalDateQuery(request, "to"));
  JsonWriter w;
  w.beginObject().key("items").beginArray();
  for (const auto& d : all) writeDeposit(w, d);
  w.endArray().endObject();
  return jsonResponse(200, w);
}

Response closePeriod(Route& route, Request& request) {
  finance::CloseRequest close;
  close.month = request.param("month");
  if (!request.body.empty()) {
    const auto body = request.jsonObject();
    close.force = optionalBool(*body, "force").value_or(false);
    close.reason = optionalString(*body, "reason");
  }
  const auto period = route.services().reconciliation.closePeriodIn(route.tx(), close, auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("period", period.month)
      .field("closed_at", core::formatInstantUtc(period.closedAt))
      .field("forced", period.forced)
      .endObject();
  return jsonResponse(201, w);
}

Response importStatement(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto statement = parseUpload(request, app.bankProfiles);
  const auto result =
      app.reconciliation.importStatement(statement, request.queryValue("account").value_or(""), auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("statement_id", result.statementId)
      .field("format", statement.format)
      .field("lines", result.lines)
      .field("new_lines", result.newLines)
      .field("matched", result.matched)
      .field("proposed", result.proposed)
      .field("unmatched", result.unmatched)
      .endObject();
  return jsonResponse(201, w);
}

Response listProfiles(Route& route, Request&) {
  JsonWriter w;
  w.beginObject().key("items").beginArray();
  for (const auto& p : route.services().bankProfiles) writeProfile(w, p);
  w.endArray().endObject();
  return jsonResponse(200, w);
}

}  // namespace

void addFinanceRoutes(Router& router, AppContext& app) {
  const Access finance = roles({Role::finance});
  addRoutes<AppContext>(
      router, app, app.access, &app.idempotent,
      {
          {"GET", "/api/v1/bank-profiles", listProfiles, finance},
          {"POST", "/api/v1/bank-statements", importStatement, finance},
          {"GET", "/api/v1/bank-lines", listLines, finance},
          {"POST", "/api/v1/bank-lines/{id}/match", matchLine, finance, Idempotency::honoured},
          {"DELETE", "/api/v1/bank-lines/{id}/match", unmatchLine, finance, Idempotency::honoured},
          {"POST", "/api/v1/bank-lines/{id}/ignore", ignoreLine, finance, Idempotency::honoured},
          {"POST", "/api/v1/deposits", createDeposit, finance, Idempotency::honoured},
          {"GET", "/api/v1/deposits", listDeposits, finance},
          {"POST", "/api/v1/periods/{month}/close", closePeriod, finance, Idempotency::honoured},
      });
}

}  // namespace parcours::api
