#include "billing/billing_service.h"

#include <algorithm>
#include <map>

#include "billing/fees.h"
#include "billing/schedule_rules.h"
#include "core/error.h"

namespace parcours::billing {

using core::Error;
using core::ErrorCode;
using core::jsonQuote;
using core::Money;
using core::ParticipantId;
using core::PaymentId;
using invoices::DocumentKind;

namespace {

std::string num(std::int64_t n) {
  return std::to_string(n);
}

// An amount given at a boundary must be in the account's currency; 422 on
// its field otherwise (never converted, never reinterpreted).
void requireCurrencyOf(const Money& account, const Money& given, const char* field) {
  if (given.currency() != account.currency()) {
    throw Error(ErrorCode::unprocessable, "must be in the account's currency " + std::string(account.currency()),
                field);
  }
}

invoices::InvoiceLine lineOf(const std::string& description, const Money& amount, TaxCode code,
                             const LineTaxes& taxes) {
  const auto currency = amount.currency();
  return {description, amount, std::string(toString(code)), Money(taxes.gstCents, currency),
          Money(taxes.qstCents, currency)};
}

invoices::NewDocument newDocument(DocumentKind kind, ParticipantId participant, const Money& total,
                                  std::string contentJson) {
  invoices::NewDocument document;
  document.kind = kind;
  document.participantId = participant;
  document.total = total;
  document.contentJson = std::move(contentJson);
  return document;
}

std::optional<core::UserId> actorOf(const identity::AuditContext& context) {
  if (!context.actorUserId) return std::nullopt;
  return core::UserId(*context.actorUserId);
}

// The payment reference an invoice prints: the participant code, which
// matching reads as a reference to the account. An invoice may come before
// any plan (the fee at enrolment) or after several (a fee increase; seqs
// are never reused), so no installment's reference would be right for it.
std::optional<std::string> invoicePaymentReference(const invoices::Party& party) {
  return party.code;
}

// The totals as the schedule rules see them (schedule_rules.h knows no
// `returned`): a returned payment is a refund of what was left of it. The
// balance stays the same.
AccountTotals returnedAsRefunds(AccountTotals totals) {
  totals.refundsCents += totals.returnedCents;
  totals.returnedCents = 0;
  return totals;
}

void checkReason(const std::string& reason) {
  if (reason.empty() || reason.size() > 1000) throw Error(ErrorCode::unprocessable, "1 to 1000 bytes", "reason");
}

}  // namespace

BillingService::BillingService(storage::Database& database, const invoices::DocumentStore& documents,
                               const participants::ParticipantService& participants,
                               const identity::KeyFileCipher& cipher, const core::Clock& clock,
                               const date::time_zone& programZone, BillingOptions options)
    : database_(database),
      documents_(documents),
      participants_(participants),
      clock_(clock),
      zone_(programZone),
      options_(std::move(options)),
      payments_(cipher),
      periods_(cipher) {}

void BillingService::requireOpenPeriod(storage::Transaction& tx, core::LocalDate day, const char* field) const {
  if (!periods_.isClosed(tx, day)) return;
  throw Error(ErrorCode::conflict, "the period " + monthOf(day) + " is closed: date it in an open period", field)
      .withMember("period", jsonQuote(monthOf(day)));
}

core::LocalDate BillingService::today() const {
  return core::localDateOf(clock_.now(), zone_);
}

invoices::Party BillingService::partyOf(storage::Transaction& tx, ParticipantId participant) const {
  const auto p = participants_.detailsIn(tx, participant);
  return {p.code, p.givenName, p.familyName, p.address, p.language};
}

void BillingService::audit(storage::Transaction& tx, const identity::AuditContext& context, const char* action,
                           ParticipantId participant, const std::string& detail, core::Instant at) const {
  identity::recordAudit(
      tx, {context.actorUserId, action, "participant", participant.toString(), context.requestId, detail}, at);
}

void BillingService::chargeFeeIn(storage::Transaction& tx, ParticipantId participant,
                                 const identity::AuditContext& context) const {
  if (accounts_.exists(tx, participant)) return;
  const auto now = clock_.now();
  const Money& fee = options_.fee;
  const auto currency = fee.currency();
  accounts_.open(tx, participant, fee, now);
  const LineTaxes taxes = taxesOf(fee.cents(), options_.feeTaxCode);
  const Money total(fee.cents() + taxes.total(), currency);
  const invoices::Party party = partyOf(tx, participant);
  const invoices::InvoiceContent content{party,
                                         {lineOf("program_fee", fee, options_.feeTaxCode, taxes)},
                                         fee,
                                         Money(taxes.gstCents, currency),
                                         Money(taxes.qstCents, currency),
                                         total,
                                         std::nullopt,
                                         invoicePaymentReference(party)};
  const auto issued = documents_.issueDocument(
      tx, newDocument(DocumentKind::invoice, participant, total, invoices::toJson(content)), now);
  accounts_.appendEntry(tx, participant, EntryKind::charge, total, issued.number, now);
  audit(tx, context, "invoice.issue", participant, issued.number, now);
}

void BillingService::trimSchedule(storage::Transaction& tx, ParticipantId participant) const {
  const auto installments = accounts_.installments(tx, participant);
  for (const auto& cut : planTrim(installments, accounts_.totals(tx, participant).balance())) {
    const auto it =
        std::find_if(installments.begin(), installments.end(), [&](const Installment& i) { return i.seq == cut.seq; });
    accounts_.cut(tx, participant, cut.seq, cut.amountCents, it->amountCents - cut.amountCents == 0);
  }
}

Money BillingService::balanceOf(storage::Transaction& tx, ParticipantId participant, const Money& fee) const {
  return Money(accounts_.totals(tx, participant).balance(), fee.currency());
}

Money BillingService::lockAccount(storage::Transaction& tx, ParticipantId participant) const {
  if (auto fee = accounts_.lockFee(tx, participant)) return *fee;
  const auto summary = participants_.summaryIn(tx, participant);  // 404 when unknown
  throw Error(ErrorCode::conflict, "the participant has no account: the fee is charged at enrolment")
      .withMember("current_status", jsonQuote(std::string(participants::toString(summary.status))));
}

AccountTotals BillingService::totalsIn(storage::Transaction& tx, ParticipantId participant) const {
  return accounts_.totals(tx, participant);
}

AccountView BillingService::account(ParticipantId participant) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    const auto summary = participants_.summaryIn(tx, participant);  // 404 when unknown
    AccountView view;
    view.participantId = participant;
    view.participantCode = summary.code;
    view.fee = Money::zero(options_.fee.currency());
    const auto fee = accounts_.fee(tx, participant);
    if (!fee) return view;
    view.exists = true;
    view.fee = *fee;
    view.totals = accounts_.totals(tx, participant);
    const auto day = today();
    for (const auto& i : accounts_.installments(tx, participant)) {
      view.installments.push_back({i, statusOf(i, day, options_.graceDays)});
    }
    invoices::DocumentFilter filter;
    filter.participantId = participant;
    filter.limit = 10000;
    for (auto& d : documents_.list(tx, filter)) view.documents.push_back(std::move(d.view));
    return view;
  });
}

std::vector<InstallmentView> BillingService::setPaymentPlanIn(storage::Transaction& tx, ParticipantId participant,
                                                              const PlanRequest& request,
                                                              const identity::AuditContext& context) const {
  if (request.installments < 1 || request.installments > options_.maxInstallments) {
    throw Error(ErrorCode::unprocessable, "must be 1 to " + std::to_string(options_.maxInstallments), "installments");
  }
  lockAccount(tx, participant);
  const std::int64_t balance = accounts_.totals(tx, participant).balance();
  if (balance <= 0) {
    throw Error(ErrorCode::conflict, "nothing is owed: there is no balance to plan")
        .withMember("balance_cents", num(balance));
  }
  const auto before = accounts_.installments(tx, participant);
  const auto after = replan(before, balance, request.firstDueOn, request.installments, request.frequency);
  for (const auto& i : after) {
    const bool existed =
        std::any_of(before.begin(), before.end(), [&](const Installment& b) { return b.seq == i.seq; });
    if (existed) {
      accounts_.updatePlanned(tx, participant, i);
    } else {
      accounts_.insertInstallment(tx, participant, i);
    }
  }
  audit(tx, context, "payment_plan.set", participant,
        std::to_string(request.installments) + " " + std::string(toString(request.frequency)), clock_.now());
  std::vector<InstallmentView> active;
  const auto day = today();
  for (const auto& i : after) {
    if (!i.replaced) active.push_back({i, statusOf(i, day, options_.graceDays)});
  }
  return active;
}

PaymentView BillingService::recordPaymentIn(storage::Transaction& tx, const PaymentInput& input,
                                            const identity::AuditContext& context) const {
  const std::int64_t amountCents = input.amount.cents();
  if (amountCents <= 0) throw Error(ErrorCode::unprocessable, "must be more than 0", "amount_cents");
  if (amountCents > options_.maxPaymentCents) {
    throw Error(ErrorCode::unprocessable, "must be at most " + num(options_.maxPaymentCents), "amount_cents");
  }
  const auto method = paymentMethodFromString(input.method);
  if (!method) {
    throw Error(ErrorCode::unprocessable, "must be cash, cheque, debit, credit, interac or bank_transfer", "method");
  }
  if (input.receivedOn > today()) throw Error(ErrorCode::unprocessable, "must not be in the future", "received_on");
  if (input.reference && (input.reference->empty() || input.reference->size() > 200)) {
    throw Error(ErrorCode::unprocessable, "1 to 200 bytes", "reference");
  }
  const ParticipantId participant = input.participantId;
  const Money fee = lockAccount(tx, participant);
  requireCurrencyOf(fee, input.amount, "amount_cents");
  requireOpenPeriod(tx, input.receivedOn, "received_on");
  const auto now = clock_.now();
  const AllocationResult allocation = allocatePayment(accounts_.installments(tx, participant), amountCents);

  PaymentRecord payment;
  payment.participantId = participant;
  payment.amount = input.amount;
  payment.method = *method;
  payment.receivedOn = input.receivedOn;
  payment.reference = input.reference;
  const invoices::ReceiptContent content{partyOf(tx, participant), payment.amount, input.method, input.receivedOn,
                                         input.reference};
  payment.receiptNumber =
      documents_
          .issueDocument(tx, newDocument(DocumentKind::receipt, participant, payment.amount, invoices::toJson(content)),
                         now)
          .number;
  payment.recordedAt = now;
  payment.id = payments_.insert(tx, payment, now, actorOf(context));
  for (const auto& a : allocation.allocations) {
    accounts_.addPaid(tx, participant, a.seq, a.amountCents);
    payments_.allocate(tx, payment.id, a.seq, a.amountCents);
  }
  accounts_.appendEntry(tx, participant, EntryKind::payment, payment.amount, payment.receiptNumber, now);
  audit(tx, context, "payment.record", participant, payment.receiptNumber, now);
  PaymentView view{payment};
  view.allocations = allocation.allocations;
  view.unallocatedCents = allocation.unallocatedCents;
  view.balance = balanceOf(tx, participant, fee);
  return view;
}

std::vector<PaymentRecord> BillingService::payments(const PaymentFilter& filter,
                                                    const identity::AuditContext& context) {
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    auto page = payments_.list(tx, filter);
    std::map<ParticipantId, int> shown;  // participant → payments on the page
    for (const auto& p : page) ++shown[p.participantId];
    for (const auto& [participant, count] : shown) {
      audit(tx, context, "payment.list", participant, "payments=" + std::to_string(count), now);
    }
    return page;
  });
}

RefundView BillingService::refundIn(storage::Transaction& tx, PaymentId paymentKey, const Money& amount,
                                    const std::string& reason, const identity::AuditContext& context) const {
  const std::int64_t amountCents = amount.cents();
  if (amountCents <= 0) throw Error(ErrorCode::unprocessable, "must be more than 0", "amount_cents");
  checkReason(reason);
  const auto payer = payments_.payerOf(tx, paymentKey);
  if (!payer) throw Error(ErrorCode::not_found, "no such payment");
  const ParticipantId participant = *payer;
  const Money fee = lockAccount(tx, participant);
  requireCurrencyOf(fee, amount, "amount_cents");
  const PaymentRecord payment = *payments_.find(tx, paymentKey);
  requireOpenPeriod(tx, today(), "amount_cents");
  if (payment.returned.cents() > 0) {
    throw Error(ErrorCode::unprocessable, "the bank returned this payment: there is nothing to refund",
                "amount_cents")
        .withMember("refundable_cents", "0");
  }
  const std::int64_t refundable = refundableCents(payment.amount.cents(), payment.refunded.cents());
  if (amountCents > refundable) {
    throw Error(ErrorCode::unprocessable, "more than can be refunded from this payment", "amount_cents")
        .withMember("refundable_cents", num(refundable));
  }
  const auto now = clock_.now();
  // What the payment had settled is owed again (schedule_rules.h).
  const auto reopened = planReopen(accounts_.installments(tx, participant), payments_.allocationsOf(tx, paymentKey),
                                   returnedAsRefunds(accounts_.totals(tx, participant)), amountCents);
  for (const auto& part : reopened) {
    accounts_.addPaid(tx, participant, part.seq, -part.amountCents);
    payments_.allocate(tx, paymentKey, part.seq, -part.amountCents);
  }

  const invoices::RefundReceiptContent content{partyOf(tx, participant), amount, payment.receiptNumber, reason};
  const auto issued = documents_.issueDocument(
      tx, newDocument(DocumentKind::refund_receipt, participant, amount, invoices::toJson(content)), now);
  RefundView view;
  view.paymentId = paymentKey;
  view.participantId = participant;
  view.amount = amount;
  view.reason = reason;
  view.number = issued.number;
  view.id =
      payments_.insertRefund(tx, {paymentKey, participant, amount, reason, issued.number, now, actorOf(context)});
  accounts_.appendEntry(tx, participant, EntryKind::refund, amount, issued.number, now);
  trimSchedule(tx, participant);
  audit(tx, context, "refund.record", participant, issued.number, now);
  view.balance = balanceOf(tx, participant, fee);
  return view;
}

FeeAdjustmentView BillingService::adjustFeeIn(storage::Transaction& tx, ParticipantId participant,
                                              const Money& newFee, const std::string& reason,
                                              const identity::AuditContext& context) const {
  const std::int64_t newFeeCents = newFee.cents();
  if (newFeeCents < 0 || newFeeCents > options_.maxPaymentCents) {
    throw Error(ErrorCode::unprocessable, "must be 0 to " + num(options_.maxPaymentCents), "new_fee_cents");
  }
  checkReason(reason);
  const Money fee = lockAccount(tx, participant);
  requireCurrencyOf(fee, newFee, "new_fee_cents");
  if (newFeeCents == fee.cents()) throw Error(ErrorCode::unprocessable, "is the current fee", "new_fee_cents");
  requireOpenPeriod(tx, today(), "new_fee_cents");
  const auto now = clock_.now();
  const FeeChangePlan change = planFeeChange(fee, newFee, options_.feeTaxCode);
  const auto currency = fee.currency();
  const invoices::Party party = partyOf(tx, participant);
  const invoices::InvoiceContent content{party,
                                         {lineOf(change.reduction ? "fee_reduction" : "fee_increase", change.difference,
                                                 options_.feeTaxCode, change.taxes)},
                                         change.difference,
                                         Money(change.taxes.gstCents, currency),
                                         Money(change.taxes.qstCents, currency),
                                         change.total,
                                         invoices::FeeChange{fee, newFee, reason},
                                         change.reduction ? std::nullopt : invoicePaymentReference(party)};
  FeeAdjustmentView view;
  view.participantId = participant;
  view.fee = newFee;
  view.document =
      documents_.issueDocument(tx,
                               newDocument(change.reduction ? DocumentKind::credit_note : DocumentKind::invoice,
                                           participant, change.total, invoices::toJson(content)),
                               now);
  accounts_.setFee(tx, participant, newFee);
  accounts_.appendEntry(tx, participant, change.reduction ? EntryKind::credit : EntryKind::charge, change.total,
                        view.document.number, now);
  if (change.reduction) trimSchedule(tx, participant);
  audit(tx, context, "fee.adjust", participant, view.document.number, now);
  view.balance = balanceOf(tx, participant, fee);
  return view;
}

ReturnedView BillingService::returnPaymentIn(storage::Transaction& tx, PaymentId paymentKey, core::LocalDate returnedOn,
                                             const identity::AuditContext& context) const {
  const auto payer = payments_.payerOf(tx, paymentKey);
  if (!payer) throw Error(ErrorCode::not_found, "no such payment", "payment_id");
  const ParticipantId participant = *payer;
  const Money fee = lockAccount(tx, participant);
  requireOpenPeriod(tx, returnedOn, "returned_on");
  const PaymentRecord payment = *payments_.find(tx, paymentKey);
  if (payment.returned.cents() > 0) throw Error(ErrorCode::conflict, "this payment was already returned", "payment_id");
  const std::int64_t reversed = payment.amount.cents() - payment.refunded.cents();
  if (reversed <= 0) throw Error(ErrorCode::conflict, "this payment was refunded in full", "payment_id");
  const auto now = clock_.now();
  // For the schedule a returned payment is a refund of what is left of it.
  const AccountTotals asRefunded = returnedAsRefunds(accounts_.totals(tx, participant));
  for (const auto& part : planReopen(accounts_.installments(tx, participant), payments_.allocationsOf(tx, paymentKey),
                                     asRefunded, reversed)) {
    accounts_.addPaid(tx, participant, part.seq, -part.amountCents);
    payments_.allocate(tx, paymentKey, part.seq, -part.amountCents);
  }
  payments_.insertReturned(tx, paymentKey, reversed, returnedOn, now, actorOf(context));
  const Money amount(reversed, fee.currency());
  accounts_.appendEntry(tx, participant, EntryKind::returned, amount, payment.receiptNumber, now);
  // Reopened installments never ask more than is owed (an account in credit owes nothing).
  trimSchedule(tx, participant);
  audit(tx, context, "payment.returned", participant, payment.receiptNumber, now);
  return {paymentKey, participant, payment.receiptNumber, amount, balanceOf(tx, participant, fee)};
}

std::vector<invoices::DocumentRow> BillingService::documents(const invoices::DocumentFilter& filter) {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return documents_.list(tx, filter); });
}

}  // namespace parcours::billing
