// Billing routes (docs/api.md "Billing and documents"): accounts, payment plans, payments,
// refunds, fee adjustments and issued documents.
#include <algorithm>

#include "api/app_context.h"
#include "api/idempotency.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/request_fields.h"
#include "api/router.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

void writeInstallments(JsonWriter& w, const std::vector<billing::InstallmentView>& installments) {
  w.beginArray();
  for (const auto& i : installments) {
    w.beginObject()
        .field("seq", i.installment.seq)
        .field("due_on", core::formatDate(i.installment.dueOn))
        .field("amount_cents", i.installment.amountCents)
        .field("paid_cents", i.installment.paidCents)
        .field("status", billing::toString(i.status))
        .endObject();
  }
  w.endArray();
}

void writeDocumentSummary(JsonWriter& w, const invoices::DocumentView& d, const date::time_zone& zone) {
  w.field("number", d.number)
      .field("kind", invoices::toString(d.kind))
      .field("participant_id", d.participantId.toString())
      .field("issued_at", core::formatInstant(d.issuedAt, zone))
      .field("total_cents", d.total.cents())
      .field("currency", d.total.currency());
}

void writePayment(JsonWriter& w, const billing::PaymentRecord& p, const date::time_zone& zone) {
  w.field("id", p.id.toString())
      .field("participant_id", p.participantId.toString())
      .field("amount_cents", p.amount.cents())
      .field("currency", p.amount.currency())
      .field("method", billing::toString(p.method))
      .field("received_on", core::formatDate(p.receivedOn))
      .field("reference", p.reference)
      .field("receipt_number", p.receiptNumber)
      .field("recorded_at", core::formatInstant(p.recordedAt, zone))
      .field("refunded_cents", p.refunded.cents());
}

std::string reasonField(const Poco::JSON::Object& body) {
  return requireString(body, "reason");
}

// A participant sees only their own records: anything else is "unknown".
void requireOwnRecord(const identity::Principal& who, std::int64_t participantId) {
  if (who.role == Role::participant && (!who.participantId || *who.participantId != participantId)) {
    throw Error(ErrorCode::not_found, "no such resource");
  }
}

}  // namespace

void addBillingRoutes(Router& router, AppContext& app) {
  const date::time_zone& zone = app.programZone;

  router.add(
      "GET", "/api/v1/participants/{id}/account",
      [&app, &zone](Request& request) {
        const auto account = app.billing.account(core::ParticipantId(idParam(request)));
        JsonWriter w;
        w.beginObject()
            .field("participant_id", account.participantId.toString())
            .field("currency", account.fee.currency())
            .field("fee_cents", account.fee.cents())
            .field("balance_cents", account.totals.balance())
            .field("charges_cents", account.totals.chargesCents)
            .field("credits_cents", account.totals.creditsCents)
            .field("payments_cents", account.totals.paymentsCents)
            .field("refunds_cents", account.totals.refundsCents);
        w.key("installments");
        writeInstallments(w, account.installments);
        w.key("documents").beginArray();
        for (const auto& d : account.documents) {
          w.beginObject();
          writeDocumentSummary(w, d, zone);
          w.endObject();
        }
        w.endArray().endObject();
        return Response::json(200, w.take());
      },
      guardFor(grants({{Role::finance, Scope::all},
                       {Role::coordinator, Scope::all},
                       {Role::participant, Scope::self_participant}}),
               app.access));

  router.add(
      "POST", "/api/v1/participants/{id}/payment-plan",
      [&app](Request& request) {
        const core::ParticipantId participantId(idParam(request));
        const auto body = request.jsonObject();
        billing::PlanRequest plan;
        const std::int64_t most = app.billing.options().maxInstallments;
        plan.installments = static_cast<int>(optionalIntIn(*body, "installments", 1, most).value_or(most));
        plan.firstDueOn = dateField(*body, "first_due_on");
        const std::string frequency = requireString(*body, "frequency");
        const auto parsedFrequency = billing::frequencyFromString(frequency);
        if (!parsedFrequency) throw Error(ErrorCode::unprocessable, "must be weekly, biweekly or monthly", "frequency");
        plan.frequency = *parsedFrequency;
        return app.idempotent.run(
            request, "POST /api/v1/participants/{id}/payment-plan", KeyRule::optional, [&](storage::Transaction& tx) {
              const auto installments = app.billing.setPaymentPlanIn(tx, participantId, plan, auditContextOf(request));
              JsonWriter w;
              w.beginObject()
                  .field("participant_id", participantId.toString())
                  .field("balance_cents", app.billing.totalsIn(tx, participantId).balance());
              w.key("installments");
              writeInstallments(w, installments);
              w.endObject();
              return Response::json(201, w.take());
            });
      },
      guardFor(roles({Role::finance, Role::coordinator}), app.access));

  router.add(
      "POST", "/api/v1/payments",
      [&app, &zone](Request& request) {
        const auto body = request.jsonObject();
        billing::PaymentInput input;
        input.participantId = core::ParticipantId(idField(*body, "participant_id"));
        input.amountCents = requireInt64(*body, "amount_cents");
        input.method = requireString(*body, "method");
        input.receivedOn = dateField(*body, "received_on");
        input.reference = optionalString(*body, "reference");
        return app.idempotent.run(request, "POST /api/v1/payments", KeyRule::required, [&](storage::Transaction& tx) {
          const auto payment = app.billing.recordPaymentIn(tx, input, auditContextOf(request));
          JsonWriter w;
          w.beginObject();
          writePayment(w, payment, zone);
          w.key("allocations").beginArray();
          for (const auto& a : payment.allocations) {
            w.beginObject().field("seq", a.seq).field("amount_cents", a.amountCents).endObject();
          }
          w.endArray()
              .field("unallocated_cents", payment.unallocatedCents)
              .field("balance_cents", payment.balanceCents);
          w.endObject();
          return Response::json(201, w.take());
        });
      },
      guardFor(roles({Role::finance}), app.access));

  router.add(
      "GET", "/api/v1/payments",
      [&app, &zone](Request& request) {
        billing::PaymentFilter filter;
        if (const auto participant = idQuery(request, "participant_id"))
          filter.participantId = core::ParticipantId(*participant);
        filter.method = request.queryValue("method");
        filter.from = optionalDateQuery(request, "from");
        filter.to = optionalDateQuery(request, "to");
        filter.limit = limitParam(request);
        if (const auto cursor = request.queryValue("cursor")) filter.afterId = core::PaymentId(cursorParam(*cursor));
        const auto payments = app.billing.payments(filter, auditContextOf(request));
        JsonWriter w;
        w.beginObject().key("items").beginArray();
        for (const auto& p : payments) {
          w.beginObject();
          writePayment(w, p, zone);
          w.endObject();
        }
        w.endArray();
        w.nextCursor(static_cast<int>(payments.size()) == filter.limit,
                     payments.empty() ? 0 : payments.back().id.value());
        w.endObject();
        return Response::json(200, w.take());
      },
      guardFor(roles({Role::finance}), app.access));

  router.add(
      "POST", "/api/v1/payments/{id}/refunds",
      [&app](Request& request) {
        const core::PaymentId paymentId(idParam(request));
        const auto body = request.jsonObject();
        const auto amount = requireInt64(*body, "amount_cents");
        const auto reason = reasonField(*body);
        return app.idempotent.run(
            request, "POST /api/v1/payments/{id}/refunds", KeyRule::required, [&](storage::Transaction& tx) {
              const auto refund = app.billing.refundIn(tx, paymentId, amount, reason, auditContextOf(request));
              JsonWriter w;
              w.beginObject()
                  .field("id", refund.id.toString())
                  .field("payment_id", refund.paymentId.toString())
                  .field("participant_id", refund.participantId.toString())
                  .field("amount_cents", refund.amount.cents())
                  .field("currency", refund.amount.currency())
                  .field("reason", refund.reason)
                  .field("number", refund.number)
                  .field("balance_cents", refund.balanceCents)
                  .endObject();
              return Response::json(201, w.take());
            });
      },
      guardFor(roles({Role::finance}), app.access));

  router.add(
      "POST", "/api/v1/participants/{id}/fee-adjustment",
      [&app, &zone](Request& request) {
        const core::ParticipantId participantId(idParam(request));
        const auto body = request.jsonObject();
        const auto newFee = requireInt64(*body, "new_fee_cents");
        const auto reason = reasonField(*body);
        return app.idempotent.run(
            request, "POST /api/v1/participants/{id}/fee-adjustment", KeyRule::optional, [&](storage::Transaction& tx) {
              const auto adjusted = app.billing.adjustFeeIn(tx, participantId, newFee, reason, auditContextOf(request));
              JsonWriter w;
              w.beginObject()
                  .field("participant_id", participantId.toString())
                  .field("fee_cents", adjusted.fee.cents());
              w.key("document").beginObject();
              writeDocumentSummary(w, adjusted.document, zone);
              w.endObject().field("balance_cents", adjusted.balanceCents).endObject();
              return Response::json(201, w.take());
            });
      },
      guardFor(roles({Role::coordinator}), app.access));

  router.add(
      "GET", "/api/v1/invoices",
      [&app, &zone](Request& request) {
        const auto& who = principalOf(request);
        invoices::DocumentFilter filter;
        filter.kind = invoices::DocumentKind::invoice;
        if (const auto participant = idQuery(request, "participant_id"))
          filter.participantId = core::ParticipantId(*participant);
        if (who.role == Role::participant) {
          if (filter.participantId) requireOwnRecord(who, filter.participantId->value());
          filter.participantId = core::ParticipantId(who.participantId.value_or(-1));
        }
        filter.limit = limitParam(request);
        if (const auto cursor = request.queryValue("cursor")) filter.afterId = core::DocumentId(cursorParam(*cursor));
        const auto rows = app.billing.documents(filter);
        JsonWriter w;
        w.beginObject().key("items").beginArray();
        for (const auto& row : rows) {
          w.beginObject();
          writeDocumentSummary(w, row.view, zone);
          w.endObject();
        }
        w.endArray().nextCursor(static_cast<int>(rows.size()) == filter.limit,
                                rows.empty() ? 0 : rows.back().id.value());
        w.endObject();
        return Response::json(200, w.take());
      },
      guardFor(roles({Role::finance, Role::participant}), app.access));
}

}  // namespace parcours::api
