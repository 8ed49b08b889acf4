#include "finance/reconciliation_service.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "finance/payer_names.h"

namespace parcours::finance {

using core::BankLineId;
using core::Error;
using core::ErrorCode;
using core::jsonQuote;
using core::PaymentId;

namespace {

constexpr std::size_t kMostPaymentsPerMatch = 50;
constexpr std::size_t kMostPaymentsPerDeposit = 500;

Error lineConflict(const std::string& message, LineStatus status) {
  return Error(ErrorCode::conflict, message).withMember("current_status", jsonQuote(std::string(toString(status))));
}

void checkNote(const std::optional<std::string>& note, bool required) {
  if (!note && required) throw Error(ErrorCode::unprocessable, "required for this kind", "note");
  if (note && (note->empty() || note->size() > 1000)) throw Error(ErrorCode::unprocessable, "1 to 1000 bytes", "note");
}

}  // namespace

ReconciliationService::ReconciliationService(storage::Database& database, const billing::BillingService& billing,
                                             const identity::KeyFileCipher& cipher, const identity::KeyedHasher& keys,
                                             const core::Clock& clock, const date::time_zone& programZone)
    : database_(database), billing_(billing), keys_(keys), clock_(clock), zone_(programZone), lines_(cipher) {}

core::LocalDate ReconciliationService::today() const {
  return core::localDateOf(clock_.now(), zone_);
}

void ReconciliationService::audit(storage::Transaction& tx, const identity::AuditContext& context, const char* action,
                                  const std::string& targetType, const std::string& targetId,
                                  const std::string& detail) const {
  identity::recordAudit(tx, {context.actorUserId, action, targetType, targetId, context.requestId, detail},
                        clock_.now());
}

std::vector<std::string> ReconciliationService::aliasKeysOf(const std::string& description) const {
  std::vector<std::string> keys;
  for (const auto& pair : payerNamePairs(description)) keys.push_back(keys_.hash("payer/1 " + pair));
  return keys;
}

void ReconciliationService::learnPayer(storage::Transaction& tx, const BankLineRecord& line,
                                       const std::vector<core::ParticipantId>& participants) const {
  for (const auto& key : aliasKeysOf(line.details.description)) {
    for (const auto participant : participants) lines_.learnAlias(tx, key, participant, clock_.now());
  }
}

std::vector<BankLineRecord> ReconciliationService::lines(const BankLineFilter& filter,
                                                         const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    auto page = lines_.list(tx, filter);
    audit(tx, context, "bank_line.list", "bank_lines", "", "lines=" + std::to_string(page.size()));
    return page;
  });
}

BankLineRecord ReconciliationService::lockedLine(storage::Transaction& tx, BankLineId id) const {
  if (!lines_.lockLine(tx, id)) throw Error(ErrorCode::not_found, "no such bank line");
  auto line = *lines_.find(tx, id);
  billing_.requireOpenPeriod(tx, line.bookedOn, "date");
  return line;
}

PaymentId ReconciliationService::recordFromLine(storage::Transaction& tx, const BankLineRecord& line,
                                                core::ParticipantId participant, const std::string& method,
                                                const identity::AuditContext& context) const {
  if (line.recordedPayment) {
    throw Error(ErrorCode::conflict, "a payment was already recorded from this line: match it by payment_ids")
        .withMember("payment_id", line.recordedPayment->toString());
  }
  const PaymentId payment = recordPayment(tx, line, participant, method, context);
  lines_.setRecordedPayment(tx, line.id, payment);
  return payment;
}

PaymentId ReconciliationService::recordPayment(storage::Transaction& tx, const BankLineRecord& line,
                                               core::ParticipantId participant, const std::string& method,
                                               const identity::AuditContext& context) const {
  billing::PaymentInput input;
  input.participantId = participant;
  input.amount = core::Money(line.amountCents, billing_.options().fee.currency());
  input.method = method;
  input.receivedOn = line.bookedOn;
  std::string reference = line.details.reference.empty() ? line.details.description : line.details.reference;
  if (reference.size() > 200) reference.resize(200);
  if (!reference.empty()) input.reference = reference;
  return billing_.recordPaymentIn(tx, input, context).id;
}

BankLineRecord ReconciliationService::matchIn(storage::Transaction& tx, BankLineId id, const MatchRequest& request,
                                              const identity::AuditContext& context) const {
  const int given = (request.payments.empty() ? 0 : 1) + (request.deposit ? 1 : 0) + (request.record ? 1 : 0);
  if (given != 1) throw Error(ErrorCode::unprocessable, "give exactly one of payment_ids, deposit_id or record");
  if (request.payments.size() > kMostPaymentsPerMatch) {
    throw Error(ErrorCode::unprocessable, "at most 50 payments", "payment_ids");
  }
  BankLineRecord line = lockedLine(tx, id);
  if (line.status == LineStatus::matched || line.status == LineStatus::ignored) {
    throw lineConflict("the line is already " + std::string(toString(line.status)) + ": unmatch it first",
                       line.status);
  }
  if (line.amountCents <= 0) throw Error(ErrorCode::unprocessable, "a debit line is marked, not matched: ignore it");
  const auto now = clock_.now();
  std::vector<PaymentId> payments = request.payments;
  std::vector<core::ParticipantId> payers;
  std::optional<core::DepositId> deposit;
  if (!payments.empty()) {
    std::sort(payments.begin(), payments.end());
    if (std::adjacent_find(payments.begin(), payments.end()) != payments.end()) {
      throw Error(ErrorCode::unprocessable, "a payment is listed twice", "payment_ids");
    }
    std::int64_t sum = 0;
    for (const auto p : payments) {
      const auto payment = billing_.findPaymentIn(tx, p);
      if (!payment) throw Error(ErrorCode::unprocessable, "no such payment: " + p.toString(), "payment_ids");
      if (lines_.lineOfPayment(tx, p)) {
        throw Error(ErrorCode::conflict, "payment " + p.toString() + " is already matched to a bank line");
      }
      if (deposits_.depositOf(tx, p)) {
        throw Error(ErrorCode::conflict, "payment " + p.toString() + " is in a deposit: match the deposit");
      }
      if (payment->returned.cents() > 0) {
        throw Error(ErrorCode::conflict, "payment " + p.toString() + " was returned by the bank");
      }
      sum += payment->amount.cents();
      payers.push_back(payment->participantId);
    }
    if (sum != line.amountCents) {
      throw Error(ErrorCode::unprocessable, "the payments add up to " + std::to_string(sum) + " cents, the line is " +
                                                std::to_string(line.amountCents),
                  "payment_ids");
    }
  } else if (request.deposit) {
    const auto found = deposits_.find(tx, *request.deposit);
    if (!found) throw Error(ErrorCode::unprocessable, "no such deposit", "deposit_id");
    if (found->bankLine) throw Error(ErrorCode::conflict, "the deposit is already matched to a bank line");
    if (found->netCents() != line.amountCents) {
      throw Error(ErrorCode::unprocessable, "the deposit's net total is " + std::to_string(found->netCents()) +
                                                " cents, the line is " + std::to_string(line.amountCents),
                  "deposit_id");
    }
    deposit = found->id;
  } else {
    payers.push_back(request.record->participant);
    payments.push_back(recordFromLine(tx, line, request.record->participant, request.record->method, context));
  }
  // The rule of the candidate staff accepted, or manual.
  MatchRule rule = MatchRule::manual;
  for (const auto& c : line.candidates) {
    auto candidatePayments = c.payments;
    std::sort(candidatePayments.begin(), candidatePayments.end());
    const bool same = (!request.payments.empty() && candidatePayments == payments) ||
                      (request.deposit && c.deposit == request.deposit) ||
                      (request.record && c.participant == request.record->participant && c.payments.empty());
    if (same) rule = c.rule;
  }
  lines_.linkPayments(tx, line.id, payments);
  lines_.setState(tx, line.id, {LineStatus::matched, rule, context.actorUserId, now, deposit, std::nullopt, {}});
  lines_.addEvent(tx, line.id, "match", rule, context.actorUserId, now, "by staff");
  if (!deposit) learnPayer(tx, line, payers);
  audit(tx, context, "bank_line.match", "bank_line", line.id.toString(), std::string(toString(rule)));
  return *lines_.find(tx, line.id);
}

BankLineRecord ReconciliationService::unmatchIn(storage::Transaction& tx, BankLineId id,
                                                const identity::AuditContext& context) const {
  BankLineRecord line = lockedLine(tx, id);
  if (line.status != LineStatus::matched && line.status != LineStatus::ignored) {
    throw lineConflict("the line is not matched", line.status);
  }
  if (line.ignoreKind == "returned_cheque") {
    throw lineConflict("a returned cheque is reversed in the ledger: record the payment again if it clears",
                       line.status);
  }
  const auto now = clock_.now();
  lines_.unlinkPayments(tx, line.id);
  lines_.setState(tx, line.id, {LineStatus::unmatched, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                std::nullopt, line.candidates});
  lines_.addEvent(tx, line.id, "unmatch", line.rule, context.actorUserId, now,
                  line.status == LineStatus::ignored ? "was ignored" : "was matched");
  audit(tx, context, "bank_line.unmatch", "bank_line", line.id.toString(), "");
  return *lines_.find(tx, line.id);
}

BankLineRecord ReconciliationService::ignoreIn(storage::Transaction& tx, BankLineId id, const IgnoreRequest& request,
                                               const identity::AuditContext& context) const {
  const bool returnedCheque = request.kind == "returned_cheque";
  if (request.kind != "bank_fee" && !returnedCheque && request.kind != "other") {
    throw Error(ErrorCode::unprocessable, "must be bank_fee, returned_cheque or other", "kind");
  }
  checkNote(request.note, request.kind == "other");
  if (returnedCheque && !request.payment) throw Error(ErrorCode::unprocessable, "required", "payment_id");
  if (!returnedCheque && request.payment) {
    throw Error(ErrorCode::unprocessable, "only for a returned cheque", "payment_id");
  }
  BankLineRecord line = lockedLine(tx, id);
  if (line.status == LineStatus::matched || line.status == LineStatus::ignored) {
    throw lineConflict("the line is already " + std::string(toString(line.status)) + ": unmatch it first",
                       line.status);
  }
  if (request.kind != "other" && line.amountCents >= 0) {
    throw Error(ErrorCode::unprocessable, "a bank fee or a returned cheque is a debit line", "kind");
  }
  std::vector<PaymentId> payments;
  if (returnedCheque) {
    const auto payment = billing_.findPaymentIn(tx, *request.payment);
    if (!payment) throw Error(ErrorCode::unprocessable, "no such payment", "payment_id");
    if (payment->method != billing::PaymentMethod::cheque) {
      throw Error(ErrorCode::unprocessable, "the payment was not made by cheque", "payment_id");
    }
    if (payment->amount.cents() != -line.amountCents) {
      throw Error(ErrorCode::unprocessable, "the cheque was for " + std::to_string(payment->amount.cents()) +
                                                " cents, the line takes " + std::to_string(-line.amountCents),
                  "payment_id");
    }
    billing_.returnPaymentIn(tx, payment->id, line.bookedOn, context);
  }
  const auto now = clock_.now();
  if (request.note) {
    auto details = line.details;
    details.note = request.note;
    lines_.sealDetails(tx, line.id, details);
  }
  lines_.setState(tx, line.id,
                  {LineStatus::ignored, MatchRule::manual, context.actorUserId, now, std::nullopt, request.kind, {}});
  lines_.addEvent(tx, line.id, "ignore", MatchRule::manual, context.actorUserId, now, request.kind);
  audit(tx, context, "bank_line.ignore", "bank_line", line.id.toString(), request.kind);
  return *lines_.find(tx, line.id);
}

Deposit ReconciliationService::createDepositIn(storage::Transaction& tx, const DepositRequest& request,
                                               const identity::AuditContext& context) const {
  const auto method = billing::paymentMethodFromString(request.method);
  if (!method) {
    throw Error(ErrorCode::unprocessable, "must be cash, cheque, debit, credit, interac or bank_transfer", "method");
  }
  if (request.feeCents < 0) throw Error(ErrorCode::unprocessable, "must be 0 or more", "fee_cents");
  if (request.payments.empty() || request.payments.size() > kMostPaymentsPerDeposit) {
    throw Error(ErrorCode::unprocessable, "1 to 500 payments", "payment_ids");
  }
  if (request.depositedOn > today()) throw Error(ErrorCode::unprocessable, "must not be in the future", "deposited_on");
  billing_.requireOpenPeriod(tx, request.depositedOn, "deposited_on");
  auto payments = request.payments;
  std::sort(payments.begin(), payments.end());
  if (std::adjacent_find(payments.begin(), payments.end()) != payments.end()) {
    throw Error(ErrorCode::unprocessable, "a payment is listed twice", "payment_ids");
  }
  Deposit deposit;
  deposit.method = *method;
  deposit.depositedOn = request.depositedOn;
  for (const auto p : payments) {
    const auto payment = billing_.findPaymentIn(tx, p);
    if (!payment) throw Error(ErrorCode::unprocessable, "no such payment: " + p.toString(), "payment_ids");
    if (payment->method != *method) {
      throw Error(ErrorCode::unprocessable, "payment " + p.toString() + " was not paid by " + request.method,
                  "payment_ids");
    }
    if (const auto other = deposits_.depositOf(tx, p)) {
      throw Error(ErrorCode::conflict, "payment " + p.toString() + " is already in deposit " + other->toString());
    }
    if (lines_.lineOfPayment(tx, p)) {
      throw Error(ErrorCode::conflict, "payment " + p.toString() + " was already seen at the bank");
    }
    deposit.totalCents += payment->amount.cents();
  }
  if (request.feeCents < 0 || request.feeCents >= deposit.totalCents) {
    throw Error(ErrorCode::unprocessable, "must be 0 or more and less than the total", "fee_cents");
  }
  deposit.feeCents = request.feeCents;
  deposit.payments = payments;
  const auto now = clock_.now();
  deposit.id = deposits_.insert(tx, deposit, now, context.actorUserId);
  for (const auto p : payments) deposits_.addPayment(tx, deposit.id, p);
  audit(tx, context, "deposit.create", "deposit", deposit.id.toString(),
        "payments=" + std::to_string(payments.size()));
  return deposit;
}

std::vector<Deposit> ReconciliationService::deposits(std::optional<core::LocalDate> from,
                                                     std::optional<core::LocalDate> to) {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return deposits_.list(tx, from, to); });
}

billing::ClosedPeriod ReconciliationService::closePeriodIn(storage::Transaction& tx, const CloseRequest& request,
                                                           const identity::AuditContext& context) const {
  const auto first = billing::firstDayOfMonth(request.month);
  if (!first) throw Error(ErrorCode::not_found, "no such period: give YYYY-MM");
  const auto last = core::LocalDate{date::year_month_day{*first} + date::months{1}} - date::days{1};
  if (last >= today()) throw Error(ErrorCode::unprocessable, "the month is not over yet", "month");
  if (request.force && !request.reason) throw Error(ErrorCode::unprocessable, "required with force", "reason");
  if (request.reason && !request.force) throw Error(ErrorCode::unprocessable, "only with force", "reason");
  if (request.reason && (request.reason->empty() || request.reason->size() > 1000)) {
    throw Error(ErrorCode::unprocessable, "1 to 1000 bytes", "reason");
  }
  if (billing_.periods().isClosed(tx, *first)) {
    throw Error(ErrorCode::conflict, "the period " + request.month + " is already closed")
        .withMember("period", jsonQuote(request.month));
  }
  const auto open = lines_.countOpen(tx, *first, last);
  if (open > 0 && !request.force) {
    throw Error(ErrorCode::conflict, std::to_string(open) + " bank lines of " + request.month +
                                         " are neither matched nor ignored; close with force and a reason")
        .withMember("open_lines", std::to_string(open));
  }
  billing::ClosedPeriod period{request.month, clock_.now(), context.actorUserId, request.force, request.reason};
  billing_.periods().close(tx, period);
  audit(tx, context, "period.close", "period", request.month,
        request.force ? "forced open_lines=" + std::to_string(open) : "reconciled");
  return period;
}

}  // namespace parcours::finance
