// Billing routes (docs/api.md "Billing and documents"): accounts, payment plans, payments,
// refunds, fee adjustments and issued documents. One function per route; who
// may call each, and whether it takes an Idempotency-Key, is declared in the
// table at the end.
#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "api/route_table.h"
#include "participants/payment_reference.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

using Route = RouteContext<AppContext>;

// Each installment with its payment reference (participants/payment_reference.h),
// made from the participant's code.
void writeInstallments(JsonWriter& w, const std::vector<billing::InstallmentView>& installments,
                       const std::string& participantCode) {
  w.beginArray();
  for (const auto& i : installments) {
    w.beginObject()
        .field("seq", i.installment.seq)
        .field("due_on", core::formatDate(i.installment.dueOn))
        .field("amount_cents", i.installment.amountCents)
        .field("paid_cents", i.installment.paidCents)
        .field("status", billing::toString(i.status))
        .field("reference", participants::makeReference(participantCode, i.installment.seq))
        .endObject();
  }
  w.endArray();
}

void writeDocumentSummary(JsonWriter& w, const invoices::DocumentView& d, const date::time_zone& zone) {
  w.field("number", d.number)
      .field("kind", invoices::toString(d.kind))
      .field("participant_id", d.participantId)
      .field("issued_at", core::formatInstant(d.issuedAt, zone))
      .field("total_cents", d.total.cents())
      .field("currency", d.total.currency());
}

void writePayment(JsonWriter& w, const billing::PaymentRecord& p, const date::time_zone& zone) {
  w.field("id", p.id)
      .field("participant_id", p.participantId)
      .field("amount_cents", p.amount.cents())
      .field("currency", p.amount.currency())
      .field("method", billing::toString(p.method))
      .field("received_on", core::formatDate(p.receivedOn))
      .field("reference", p.reference)
      .field("receipt_number", p.receiptNumber)
      .field("recorded_at", core::formatInstant(p.recordedAt, zone))
      .field("refunded_cents", p.refunded.cents())
      .field("returned_cents", p.returned.cents());
}

Response getAccount(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto account = app.billing.account(pathId<core::ParticipantId>(request));
  JsonWriter w;
  w.beginObject()
      .field("participant_id", account.participantId)
      .field("currency", account.fee.currency())
      .field("fee_cents", account.fee.cents())
      .field("balance_cents", account.totals.balance())
      .field("charges_cents", account.totals.chargesCents)
      .field("credits_cents", account.totals.creditsCents)
      .field("payments_cents", account.totals.paymentsCents)
      .field("refunds_cents", account.totals.refundsCents)
      .field("returned_cents", account.totals.returnedCents);
  w.key("installments");
  writeInstallments(w, account.installments, account.participantCode);
  w.key("documents").beginArray();
  for (const auto& d : account.documents) {
    w.beginObject();
    writeDocumentSummary(w, d, app.programZone);
    w.endObject();
  }
  w.endArray().endObject();
  return jsonResponse(200, w);
}

billing::PlanRequest planRequest(const Poco::JSON::Object& body, std::int64_t most) {
  billing::PlanRequest plan;
  plan.installments = static_cast<int>(optionalIntIn(body, "installments", 1, most).value_or(most));
  plan.firstDueOn = dateField(body, "first_due_on");
  const auto frequency = billing::frequencyFromString(requireString(body, "frequency"));
  if (!frequency) throw Error(ErrorCode::unprocessable, "must be weekly, biweekly or monthly", "frequency");
  plan.frequency = *frequency;
  return plan;
}

Response setPaymentPlan(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto participantId = pathId<core::ParticipantId>(request);
  const auto plan = planRequest(*request.jsonObject(), app.billing.options().maxInstallments);
  const auto installments = app.billing.setPaymentPlanIn(route.tx(), participantId, plan, auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("participant_id", participantId)
      .field("balance_cents", app.billing.totalsIn(route.tx(), participantId).balance());
  w.key("installments");
  writeInstallments(w, installments, app.participants.summaryIn(route.tx(), participantId).code);
  w.endObject();
  return jsonResponse(201, w);
}

Response recordPayment(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto body = request.jsonObject();
  billing::PaymentInput input;
  input.participantId = core::ParticipantId(idField(*body, "participant_id"));
  input.amount = core::Money(requireInt64(*body, "amount_cents"), app.billing.options().fee.currency());
  input.method = requireString(*body, "method");
  input.receivedOn = dateField(*body, "received_on");
  input.reference = optionalString(*body, "reference");
  const auto payment = app.billing.recordPaymentIn(route.tx(), input, auditContextOf(request));
  JsonWriter w;
  w.beginObject();
  writePayment(w, payment, app.programZone);
  w.key("allocations").beginArray();
  for (const auto& a : payment.allocations) {
    w.beginObject().field("seq", a.seq).field("amount_cents", a.amountCents).endObject();
  }
  w.endArray().field("unallocated_cents", payment.unallocatedCents).field("balance_cents", payment.balance.cents());
  w.endObject();
  return jsonResponse(201, w);
}

Response listPayments(Route& route, Request& request) {
  AppContext& app = route.services();
  billing::PaymentFilter filter;
  if (const auto participant = idQuery(request, "participant_id"))
    filter.participantId = core::ParticipantId(*participant);
  filter.method = request.queryValue("method");
  filter.from = optionalDateQuery(request, "from");
  filter.to = optionalDateQuery(request, "to");
  filter.limit = limitParam(request);
  if (const auto cursor = request.queryValue("cursor")) filter.afterId = core::PaymentId(cursorParam(*cursor));
  const auto payments = app.billing.payments(filter, auditContextOf(request));
  return pageResponse(
      payments, filter.limit,
      [&](JsonWriter& w, const billing::PaymentRecord& p) {
        w.beginObject();
        writePayment(w, p, app.programZone);
        w.endObject();
      },
      [](const billing::PaymentRecord& p) { return p.id.value(); });
}

Response refundPayment(Route& route, Request& request) {
  const auto paymentId = pathId<core::PaymentId>(request);
  const auto body = request.jsonObject();
  auto& billing = route.services().billing;
  const core::Money amount(requireInt64(*body, "amount_cents"), billing.options().fee.currency());
  const auto reason = requireString(*body, "reason");
  const auto refund = billing.refundIn(route.tx(), paymentId, amount, reason, auditContextOf(request));
  JsonWriter w;
  w.beginObject()
      .field("id", refund.id)
      .field("payment_id", refund.paymentId)
      .field("participant_id", refund.participantId)
      .field("amount_cents", refund.amount.cents())
      .field("currency", refund.amount.currency())
      .field("reason", refund.reason)
      .field("number", refund.number)
      .field("balance_cents", refund.balance.cents())
      .endObject();
  return jsonResponse(201, w);
}

Response adjustFee(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto participantId = pathId<core::ParticipantId>(request);
  const auto body = request.jsonObject();
  const core::Money newFee(requireInt64(*body, "new_fee_cents"), app.billing.options().fee.currency());
  const auto reason = requireString(*body, "reason");
  const auto adjusted = app.billing.adjustFeeIn(route.tx(), participantId, newFee, reason, auditContextOf(request));
  JsonWriter w;
  w.beginObject().field("participant_id", participantId).field("fee_cents", adjusted.fee.cents());
  w.key("document").beginObject();
  writeDocumentSummary(w, adjusted.document, app.programZone);
  w.endObject().field("balance_cents", adjusted.balance.cents()).endObject();
  return jsonResponse(201, w);
}

// Finance sees every invoice; a participant their own only (asking for
// another participant's is "unknown", as on their single records).
Response listInvoices(Route& route, Request& request) {
  AppContext& app = route.services();
  invoices::DocumentFilter filter;
  filter.kind = invoices::DocumentKind::invoice;
  if (const auto participant = idQuery(request, "participant_id"))
    filter.participantId = core::ParticipantId(*participant);
  if (const auto visible = visibleParticipants(principalOf(request), app.access)) {
    const core::ParticipantId own = visible->empty() ? core::ParticipantId(0) : visible->front();
    if (filter.participantId && *filter.participantId != own) throw Error(ErrorCode::not_found, "no such resource");
    filter.participantId = own;
  }
  filter.limit = limitParam(request);
  if (const auto cursor = request.queryValue("cursor")) filter.afterId = core::DocumentId(cursorParam(*cursor));
  const auto rows = app.billing.documents(filter);
  return pageResponse(
      rows, filter.limit,
      [&](JsonWriter& w, const invoices::DocumentRow& row) {
        w.beginObject();
        writeDocumentSummary(w, row.view, app.programZone);
        w.endObject();
      },
      [](const invoices::DocumentRow& row) { return row.id.value(); });
}

}  // namespace

void addBillingRoutes(Router& router, AppContext& app) {
  const Access finance = roles({Role::finance});
  const Access coordinator = roles({Role::coordinator});
  const Access planners = roles({Role::finance, Role::coordinator});
  const Access accountReaders = grants(
      {{Role::finance, Scope::all}, {Role::coordinator, Scope::all}, {Role::participant, Scope::self_participant}});
  // Everyone listed reads the list; a participant's rows are narrowed to their own.
  const Access invoiceReaders = roles({Role::finance, Role::participant});
  addRoutes<AppContext>(
      router, app, app.access, &app.idempotent,
      {
          {"GET", "/api/v1/participants/{id}/account", getAccount, accountReaders},
          {"POST", "/api/v1/participants/{id}/payment-plan", setPaymentPlan, planners, Idempotency::honoured},
          {"POST", "/api/v1/payments", recordPayment, finance, Idempotency::required},
          {"GET", "/api/v1/payments", listPayments, finance},
          {"POST", "/api/v1/payments/{id}/refunds", refundPayment, finance, Idempotency::required},
          {"POST", "/api/v1/participants/{id}/fee-adjustment", adjustFee, coordinator, Idempotency::honoured},
          {"GET", "/api/v1/invoices", listInvoices, invoiceReaders},
      });
}

}  // namespace parcours::api
