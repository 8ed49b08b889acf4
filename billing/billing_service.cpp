#include "billing/billing_service.h"

#include <algorithm>
#include <map>

#include "core/error.h"

namespace parcours::billing {

using core::Error;
using core::ErrorCode;
using core::jsonQuote;
using invoices::DocumentKind;

namespace {

constexpr const char* kPaymentColumns =
    "SELECT p.id, p.participant_id, p.amount_cents, p.currency, p.method, p.received_on, p.reference_enc,"
    " p.receipt_number, p.created_at,"
    " (SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r WHERE r.payment_id = p.id) FROM payments p";

bool knownMethod(const std::string& method) {
  return std::any_of(std::begin(kPaymentMethods), std::end(kPaymentMethods),
                     [&](const char* m) { return method == m; });
}

std::string num(std::int64_t n) {
  return std::to_string(n);
}

// What the installments still ask for.
std::int64_t owedOnInstallments(const std::vector<Installment>& installments) {
  std::int64_t owed = 0;
  for (const auto& i : installments) {
    if (!i.replaced && i.amountCents > i.paidCents) owed += i.amountCents - i.paidCents;
  }
  return owed;
}

// One printed line of a document, with its taxes.
std::string lineJson(const std::string& description, std::int64_t cents, TaxCode code, const LineTaxes& taxes) {
  return "{\"description\":" + jsonQuote(description) + ",\"amount_cents\":" + num(cents) +
         ",\"tax_code\":" + jsonQuote(std::string(toString(code))) + ",\"gst_cents\":" + num(taxes.gstCents) +
         ",\"qst_cents\":" + num(taxes.qstCents) + "}";
}

}  // namespace

BillingService::BillingService(storage::Database& database, const invoices::DocumentStore& documents,
                               const participants::ParticipantService& participants,
                               const identity::KeyFileCipher& cipher, const core::Clock& clock,
                               const date::time_zone& programZone, BillingOptions options)
    : database_(database),
      documents_(documents),
      participants_(participants),
      cipher_(cipher),
      clock_(clock),
      zone_(programZone),
      options_(std::move(options)) {}

core::LocalDate BillingService::today() const {
  return core::localDateOf(clock_.now(), zone_);
}

std::string BillingService::partyJson(storage::Transaction& tx, std::int64_t participantId) const {
  const auto p = participants_.detailsIn(tx, core::ParticipantId(participantId));
  return "{\"code\":" + jsonQuote(p.code) + ",\"given_name\":" + jsonQuote(p.givenName) +
         ",\"family_name\":" + jsonQuote(p.familyName) +
         ",\"address\":" + (p.address ? jsonQuote(*p.address) : std::string("null")) +
         ",\"language\":" + jsonQuote(p.language) + "}";
}

void BillingService::appendEntry(storage::Transaction& tx, std::int64_t participantId, EntryKind kind,
                                 std::int64_t cents, const std::string& currency,
                                 const std::string& documentNumber) const {
  tx.execute(
      "INSERT INTO ledger_entries (participant_id, kind, amount_cents, currency, document_number, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {participantId, std::string(toString(kind)), cents, currency, documentNumber, clock_.now()});
}

void BillingService::chargeFeeIn(storage::Transaction& tx, std::int64_t participantId,
                                 const identity::AuditContext& context) const {
  if (tx.queryOne("SELECT participant_id FROM accounts WHERE participant_id = ?", {participantId})) return;
  const auto now = clock_.now();
  tx.execute("INSERT INTO accounts (participant_id, fee_cents, currency, created_at) VALUES (?, ?, ?, ?)",
             {participantId, options_.feeCents, options_.currency, now});
  const LineTaxes taxes = taxesOf(options_.feeCents, options_.feeTaxCode);
  const std::int64_t total = options_.feeCents + taxes.total();
  invoices::NewDocument invoice;
  invoice.kind = DocumentKind::invoice;
  invoice.participantId = participantId;
  invoice.currency = options_.currency;
  invoice.totalCents = total;
  invoice.contentJson = "{\"participant\":" + partyJson(tx, participantId) + ",\"lines\":[" +
                        lineJson("program_fee", options_.feeCents, options_.feeTaxCode, taxes) +
                        "],\"subtotal_cents\":" + num(options_.feeCents) + ",\"gst_cents\":" + num(taxes.gstCents) +
                        ",\"qst_cents\":" + num(taxes.qstCents) + ",\"total_cents\":" + num(total) +
                        ",\"currency\":" + jsonQuote(options_.currency) + "}";
  const auto issued = documents_.issueDocument(tx, invoice, now);
  appendEntry(tx, participantId, EntryKind::charge, total, options_.currency, issued.number);
  identity::recordAudit(
      tx, {context.actorUserId, "invoice.issue", "participant", num(participantId), context.requestId, issued.number},
      now);
}

void BillingService::trimSchedule(storage::Transaction& tx, std::int64_t participantId) const {
  // Installments still owed shrink from the last one until the schedule asks
  // for no more than the balance; one cut to nothing leaves the plan.
  auto installments = installmentsIn(tx, participantId);
  const std::int64_t owing = std::max<std::int64_t>(0, totalsIn(tx, participantId).balance());
  std::int64_t excess = std::max<std::int64_t>(0, owedOnInstallments(installments) - owing);
  for (auto it = installments.rbegin(); it != installments.rend() && excess > 0; ++it) {
    if (it->replaced) continue;
    const std::int64_t cut = std::min(it->amountCents - it->paidCents, excess);
    if (cut <= 0) continue;
    const bool emptied = it->amountCents - cut == 0;
    tx.execute(
        "UPDATE installments SET amount_cents = amount_cents - ?, replaced = ? WHERE participant_id = ? AND seq = ?",
        {cut, std::int64_t{emptied ? 1 : 0}, participantId, std::int64_t{it->seq}});
    excess -= cut;
  }
}

BillingService::Account BillingService::lockAccount(storage::Transaction& tx, std::int64_t participantId) const {
  // The row lock is taken before anything else is read. SQLite has no
  // FOR UPDATE: its write transactions (BEGIN IMMEDIATE) already exclude
  // each other.
  const auto row = tx.queryOne(tx.dialect() == storage::Dialect::mysql
                                   ? "SELECT fee_cents, currency FROM accounts WHERE participant_id = ? FOR UPDATE"
                                   : "SELECT fee_cents, currency FROM accounts WHERE participant_id = ?",
                               {participantId});
  if (!row) {
    const auto summary = participants_.summaryIn(tx, core::ParticipantId(participantId));  // 404 when unknown
    throw Error(ErrorCode::conflict, "the participant has no account: the fee is charged at enrolment")
        .withMember("current_status", jsonQuote(std::string(participants::toString(summary.status))));
  }
  return {row->int64(0), row->text(1)};
}

std::vector<Installment> BillingService::installmentsIn(storage::Transaction& tx, std::int64_t participantId) const {
  std::vector<Installment> all;
  for (const auto& row : tx.query("SELECT seq, due_on, amount_cents, paid_cents, replaced FROM installments"
                                  " WHERE participant_id = ? ORDER BY seq",
                                  {participantId})) {
    all.push_back({static_cast<int>(row.int64(0)), core::parseDate(row.text(1).substr(0, 10)), row.int64(2),
                   row.int64(3), row.int64(4) != 0});
  }
  return all;
}

AccountTotals BillingService::totalsIn(storage::Transaction& tx, std::int64_t participantId) const {
  AccountTotals totals;
  for (const auto& row :
       tx.query("SELECT kind, SUM(amount_cents) FROM ledger_entries WHERE participant_id = ? GROUP BY kind",
                {participantId})) {
    if (const auto kind = entryKindFromString(row.text(0))) totals.add(*kind, row.int64(1));
  }
  return totals;
}

AccountView BillingService::account(std::int64_t participantId) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    participants_.summaryIn(tx, core::ParticipantId(participantId));  // 404 when unknown
    AccountView view;
    view.participantId = participantId;
    view.currency = options_.currency;
    const auto row = tx.queryOne("SELECT fee_cents, currency FROM accounts WHERE participant_id = ?", {participantId});
    if (!row) return view;
    view.exists = true;
    view.feeCents = row->int64(0);
    view.currency = row->text(1);
    view.totals = totalsIn(tx, participantId);
    const auto day = today();
    for (const auto& i : installmentsIn(tx, participantId)) {
      view.installments.push_back({i, statusOf(i, day, options_.graceDays)});
    }
    invoices::DocumentFilter filter;
    filter.participantId = participantId;
    filter.limit = 10000;
    for (auto& d : documents_.list(tx, filter)) view.documents.push_back(std::move(d.view));
    return view;
  });
}

std::vector<InstallmentView> BillingService::setPaymentPlanIn(storage::Transaction& tx, std::int64_t participantId,
                                                              const PlanRequest& request,
                                                              const identity::AuditContext& context) const {
  if (request.installments < 1 || request.installments > options_.maxInstallments) {
    throw Error(ErrorCode::unprocessable, "must be 1 to " + std::to_string(options_.maxInstallments), "installments");
  }
  lockAccount(tx, participantId);
  const std::int64_t balance = totalsIn(tx, participantId).balance();
  if (balance <= 0) {
    throw Error(ErrorCode::conflict, "nothing is owed: there is no balance to plan")
        .withMember("balance_cents", num(balance));
  }
  const auto before = installmentsIn(tx, participantId);
  const auto after = replan(before, balance, request.firstDueOn, request.installments, request.frequency);
  for (const auto& i : after) {
    const bool existed =
        std::any_of(before.begin(), before.end(), [&](const Installment& b) { return b.seq == i.seq; });
    if (existed) {
      tx.execute("UPDATE installments SET amount_cents = ?, replaced = ? WHERE participant_id = ? AND seq = ?",
                 {i.amountCents, std::int64_t{i.replaced ? 1 : 0}, participantId, std::int64_t{i.seq}});
    } else {
      tx.execute(
          "INSERT INTO installments (participant_id, seq, due_on, amount_cents, paid_cents, replaced)"
          " VALUES (?, ?, ?, ?, 0, 0)",
          {participantId, std::int64_t{i.seq}, core::formatDate(i.dueOn), i.amountCents});
    }
  }
  const auto now = clock_.now();
  identity::recordAudit(tx,
                        {context.actorUserId, "payment_plan.set", "participant", num(participantId), context.requestId,
                         std::to_string(request.installments) + " " + std::string(toString(request.frequency))},
                        now);
  std::vector<InstallmentView> active;
  const auto day = today();
  for (const auto& i : after) {
    if (!i.replaced) active.push_back({i, statusOf(i, day, options_.graceDays)});
  }
  return active;
}

PaymentView BillingService::recordPaymentIn(storage::Transaction& tx, const PaymentInput& input,
                                            const identity::AuditContext& context) const {
  if (input.amountCents <= 0) throw Error(ErrorCode::unprocessable, "must be more than 0", "amount_cents");
  if (input.amountCents > options_.maxPaymentCents) {
    throw Error(ErrorCode::unprocessable, "must be at most " + num(options_.maxPaymentCents), "amount_cents");
  }
  if (!knownMethod(input.method)) {
    throw Error(ErrorCode::unprocessable, "must be cash, cheque, debit, credit, interac or bank_transfer", "method");
  }
  if (input.receivedOn > today()) throw Error(ErrorCode::unprocessable, "must not be in the future", "received_on");
  if (input.reference && (input.reference->empty() || input.reference->size() > 200)) {
    throw Error(ErrorCode::unprocessable, "1 to 200 bytes", "reference");
  }
  const Account account = lockAccount(tx, input.participantId);
  const auto now = clock_.now();
  const auto installments = installmentsIn(tx, input.participantId);
  const AllocationResult allocation = allocatePayment(installments, input.amountCents);

  invoices::NewDocument receipt;
  receipt.kind = DocumentKind::receipt;
  receipt.participantId = input.participantId;
  receipt.currency = account.currency;
  receipt.totalCents = input.amountCents;
  receipt.contentJson = "{\"participant\":" + partyJson(tx, input.participantId) +
                        ",\"amount_cents\":" + num(input.amountCents) + ",\"currency\":" + jsonQuote(account.currency) +
                        ",\"method\":" + jsonQuote(input.method) +
                        ",\"received_on\":" + jsonQuote(core::formatDate(input.receivedOn)) +
                        ",\"reference\":" + (input.reference ? jsonQuote(*input.reference) : std::string("null")) + "}";
  const auto issued = documents_.issueDocument(tx, receipt, now);

  PaymentView view;
  view.participantId = input.participantId;
  view.amountCents = input.amountCents;
  view.currency = account.currency;
  view.method = input.method;
  view.receivedOn = input.receivedOn;
  view.reference = input.reference;
  view.receiptNumber = issued.number;
  view.recordedAt = now;
  view.id =
      tx.query(
            "INSERT INTO payments (participant_id, amount_cents, currency, method, received_on, reference_enc,"
            " receipt_number, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {input.participantId, input.amountCents, account.currency, input.method, core::formatDate(input.receivedOn),
             storage::Null{}, issued.number, now, storage::optional(context.actorUserId)})
          .at(0)
          .int64(0);
  // Sealed once the row has its id, which the reference is bound to.
  if (input.reference) {
    tx.execute("UPDATE payments SET reference_enc = ? WHERE id = ?",
               {storage::Blob{cipher_.encrypt(*input.reference, "payments.reference", view.id)}, view.id});
  }
  for (const auto& a : allocation.allocations) {
    tx.execute("UPDATE installments SET paid_cents = paid_cents + ? WHERE participant_id = ? AND seq = ?",
               {a.amountCents, input.participantId, std::int64_t{a.seq}});
    tx.execute("INSERT INTO payment_allocations (payment_id, seq, amount_cents) VALUES (?, ?, ?)",
               {view.id, std::int64_t{a.seq}, a.amountCents});
  }
  appendEntry(tx, input.participantId, EntryKind::payment, input.amountCents, account.currency, issued.number);
  identity::recordAudit(tx,
                        {context.actorUserId, "payment.record", "participant", num(input.participantId),
                         context.requestId, issued.number},
                        now);
  view.allocations = allocation.allocations;
  view.unallocatedCents = allocation.unallocatedCents;
  view.balanceCents = totalsIn(tx, input.participantId).balance();
  return view;
}

PaymentView BillingService::paymentFromRow(const storage::Row& row) const {
  PaymentView p;
  p.id = row.int64(0);
  p.participantId = row.int64(1);
  p.amountCents = row.int64(2);
  p.currency = row.text(3);
  p.method = row.text(4);
  p.receivedOn = core::parseDate(row.text(5).substr(0, 10));
  if (!row.isNull(6)) p.reference = cipher_.decrypt(row.blob(6), "payments.reference", p.id);
  p.receiptNumber = row.text(7);
  p.recordedAt = row.instant(8);
  p.refundedCents = row.int64(9);
  return p;
}

std::vector<PaymentView> BillingService::payments(const PaymentFilter& f, const identity::AuditContext& context) {
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const auto date = [](const std::optional<core::LocalDate>& d) {
      return d ? storage::Value(core::formatDate(*d)) : storage::Value(storage::Null{});
    };
    std::vector<PaymentView> views;
    for (const auto& row : tx.query(
             std::string(kPaymentColumns) +
                 " WHERE p.id > ? AND (? IS NULL OR p.participant_id = ?) AND (? IS NULL OR p.method = ?)"
                 " AND (? IS NULL OR p.received_on >= ?) AND (? IS NULL OR p.received_on <= ?) ORDER BY p.id LIMIT ?",
             {f.afterId, storage::optional(f.participantId), storage::optional(f.participantId),
              storage::optional(f.method), storage::optional(f.method), date(f.from), date(f.from), date(f.to),
              date(f.to), std::int64_t{f.limit}})) {
      views.push_back(paymentFromRow(row));
    }
    std::map<std::int64_t, int> shown;  // participant → payments on the page
    for (const auto& v : views) ++shown[v.participantId];
    for (const auto& [participantId, count] : shown) {
      identity::recordAudit(tx,
                            {context.actorUserId, "payment.list", "participant", num(participantId), context.requestId,
                             "payments=" + std::to_string(count)},
                            now);
    }
    return views;
  });
}

RefundView BillingService::refundIn(storage::Transaction& tx, std::int64_t paymentId, std::int64_t amountCents,
                                    const std::string& reason, const identity::AuditContext& context) const {
  if (amountCents <= 0) throw Error(ErrorCode::unprocessable, "must be more than 0", "amount_cents");
  if (reason.empty() || reason.size() > 1000) throw Error(ErrorCode::unprocessable, "1 to 1000 bytes", "reason");
  const auto found = tx.queryOne("SELECT participant_id FROM payments WHERE id = ?", {paymentId});
  if (!found) throw Error(ErrorCode::not_found, "no such payment");
  const std::int64_t participantId = found->int64(0);
  const Account account = lockAccount(tx, participantId);
  const PaymentView payment =
      paymentFromRow(*tx.queryOne(std::string(kPaymentColumns) + " WHERE p.id = ?", {paymentId}));
  const std::int64_t refundable = refundableCents(payment.amountCents, payment.refundedCents);
  if (amountCents > refundable) {
    throw Error(ErrorCode::unprocessable, "more than can be refunded from this payment", "amount_cents")
        .withMember("refundable_cents", num(refundable));
  }
  const auto now = clock_.now();
  // What the payment had settled is owed again, newest installment first.
  // Two bounds keep the schedule true to the account: installments never
  // hold more paid than the payments less refunds (so at least that much is
  // reopened), and never ask for more than the balance after the refund (so
  // a refund taken from a credit balance reopens nothing more).
  const AccountTotals totals = totalsIn(tx, participantId);
  const auto installments = installmentsIn(tx, participantId);
  std::int64_t paidOnInstallments = 0;
  for (const auto& i : installments) {
    if (!i.replaced) paidOnInstallments += i.paidCents;
  }
  const std::int64_t mustReopen =
      std::max<std::int64_t>(0, paidOnInstallments - (totals.paymentsCents - totals.refundsCents - amountCents));
  const std::int64_t mayReopen =
      std::max<std::int64_t>(0, totals.balance() + amountCents - owedOnInstallments(installments));
  std::int64_t toReopen = std::max(mustReopen, std::min(amountCents, mayReopen));
  // This payment's own installments first, then any other, newest first.
  std::vector<Allocation> order;
  for (const auto& row : tx.query("SELECT seq, SUM(amount_cents) FROM payment_allocations WHERE payment_id = ?"
                                  " GROUP BY seq ORDER BY seq DESC",
                                  {paymentId})) {
    if (row.int64(1) > 0) order.push_back({static_cast<int>(row.int64(0)), row.int64(1)});
  }
  for (auto it = installments.rbegin(); it != installments.rend(); ++it) {
    if (!it->replaced && it->paidCents > 0) order.push_back({it->seq, it->paidCents});
  }
  std::map<int, std::int64_t> paidLeft;
  for (const auto& i : installments) paidLeft[i.seq] = i.replaced ? 0 : i.paidCents;
  for (const auto& candidate : order) {
    if (toReopen == 0) break;
    const std::int64_t part = std::min({toReopen, candidate.amountCents, paidLeft[candidate.seq]});
    if (part <= 0) continue;
    tx.execute("UPDATE installments SET paid_cents = paid_cents - ? WHERE participant_id = ? AND seq = ?",
               {part, participantId, std::int64_t{candidate.seq}});
    tx.execute("INSERT INTO payment_allocations (payment_id, seq, amount_cents) VALUES (?, ?, ?)",
               {paymentId, std::int64_t{candidate.seq}, -part});
    paidLeft[candidate.seq] -= part;
    toReopen -= part;
  }

  invoices::NewDocument document;
  document.kind = DocumentKind::refund_receipt;
  document.participantId = participantId;
  document.currency = account.currency;
  document.totalCents = amountCents;
  document.contentJson = "{\"participant\":" + partyJson(tx, participantId) + ",\"amount_cents\":" + num(amountCents) +
                         ",\"currency\":" + jsonQuote(account.currency) +
                         ",\"payment_receipt_number\":" + jsonQuote(payment.receiptNumber) +
                         ",\"reason\":" + jsonQuote(reason) + "}";
  const auto issued = documents_.issueDocument(tx, document, now);
  RefundView view;
  view.paymentId = paymentId;
  view.participantId = participantId;
  view.amountCents = amountCents;
  view.currency = account.currency;
  view.reason = reason;
  view.number = issued.number;
  view.id = tx.query(
                  "INSERT INTO refunds (payment_id, participant_id, amount_cents, reason_enc, number, created_at,"
                  " created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {paymentId, participantId, amountCents, storage::Blob{}, issued.number, now,
                   storage::optional(context.actorUserId)})
                .at(0)
                .int64(0);
  tx.execute("UPDATE refunds SET reason_enc = ? WHERE id = ?",
             {storage::Blob{cipher_.encrypt(reason, "refunds.reason", view.id)}, view.id});
  appendEntry(tx, participantId, EntryKind::refund, amountCents, account.currency, issued.number);
  trimSchedule(tx, participantId);
  identity::recordAudit(
      tx, {context.actorUserId, "refund.record", "participant", num(participantId), context.requestId, issued.number},
      now);
  view.balanceCents = totalsIn(tx, participantId).balance();
  return view;
}

FeeAdjustmentView BillingService::adjustFeeIn(storage::Transaction& tx, std::int64_t participantId,
                                              std::int64_t newFeeCents, const std::string& reason,
                                              const identity::AuditContext& context) const {
  if (newFeeCents < 0 || newFeeCents > options_.maxPaymentCents) {
    throw Error(ErrorCode::unprocessable, "must be 0 to " + num(options_.maxPaymentCents), "new_fee_cents");
  }
  if (reason.empty() || reason.size() > 1000) throw Error(ErrorCode::unprocessable, "1 to 1000 bytes", "reason");
  const Account account = lockAccount(tx, participantId);
  if (newFeeCents == account.feeCents) {
    throw Error(ErrorCode::unprocessable, "is the current fee", "new_fee_cents");
  }
  const auto now = clock_.now();
  const bool reduction = newFeeCents < account.feeCents;
  const std::int64_t difference = reduction ? account.feeCents - newFeeCents : newFeeCents - account.feeCents;
  // The taxes of the new fee less those of the old one, not the taxes of the
  // difference: rounded per fee, so that after any number of changes the
  // account holds exactly one fee with its taxes as an invoice would show.
  const LineTaxes before = taxesOf(account.feeCents, options_.feeTaxCode);
  const LineTaxes after = taxesOf(newFeeCents, options_.feeTaxCode);
  const LineTaxes taxes = reduction ? LineTaxes{before.gstCents - after.gstCents, before.qstCents - after.qstCents}
                                    : LineTaxes{after.gstCents - before.gstCents, after.qstCents - before.qstCents};
  const std::int64_t total = difference + taxes.total();
  invoices::NewDocument document;
  document.kind = reduction ? DocumentKind::credit_note : DocumentKind::invoice;
  document.participantId = participantId;
  document.currency = account.currency;
  document.totalCents = total;
  document.contentJson =
      "{\"participant\":" + partyJson(tx, participantId) + ",\"lines\":[" +
      lineJson(reduction ? "fee_reduction" : "fee_increase", difference, options_.feeTaxCode, taxes) +
      "],\"subtotal_cents\":" + num(difference) + ",\"gst_cents\":" + num(taxes.gstCents) +
      ",\"qst_cents\":" + num(taxes.qstCents) + ",\"total_cents\":" + num(total) +
      ",\"currency\":" + jsonQuote(account.currency) + ",\"previous_fee_cents\":" + num(account.feeCents) +
      ",\"new_fee_cents\":" + num(newFeeCents) + ",\"reason\":" + jsonQuote(reason) + "}";
  FeeAdjustmentView view;
  view.participantId = participantId;
  view.feeCents = newFeeCents;
  view.document = documents_.issueDocument(tx, document, now);
  tx.execute("UPDATE accounts SET fee_cents = ? WHERE participant_id = ?", {newFeeCents, participantId});
  appendEntry(tx, participantId, reduction ? EntryKind::credit : EntryKind::charge, total, account.currency,
              view.document.number);
  if (reduction) trimSchedule(tx, participantId);
  identity::recordAudit(
      tx,
      {context.actorUserId, "fee.adjust", "participant", num(participantId), context.requestId, view.document.number},
      now);
  view.balanceCents = totalsIn(tx, participantId).balance();
  return view;
}

std::vector<invoices::DocumentRow> BillingService::documents(const invoices::DocumentFilter& filter) {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return documents_.list(tx, filter); });
}

std::vector<storage::Migration> billingMigrations() {
  constexpr const char* kMysql = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
  const auto mysql = [&](std::string ddl) { return ddl + kMysql; };
  // ledger_entries is append-only (tests/architecture/walls.sh); the
  // balance is always derived from it. `accounts` is the per-participant
  // lock row and the current fee.
  return {{"billing/0001_accounts",
           {
               "CREATE TABLE IF NOT EXISTS accounts (participant_id INTEGER PRIMARY KEY, fee_cents INTEGER NOT NULL,"
               " currency TEXT NOT NULL, created_at TEXT NOT NULL)",
               "CREATE TABLE IF NOT EXISTS ledger_entries (id INTEGER PRIMARY KEY AUTOINCREMENT,"
               " participant_id INTEGER NOT NULL, kind TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
               " currency TEXT NOT NULL, document_number TEXT NOT NULL, created_at TEXT NOT NULL)",
               "CREATE INDEX IF NOT EXISTS ledger_participant ON ledger_entries (participant_id)",
               "CREATE TABLE IF NOT EXISTS installments (participant_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
               " due_on TEXT NOT NULL, amount_cents INTEGER NOT NULL, paid_cents INTEGER NOT NULL,"
               " replaced INTEGER NOT NULL, PRIMARY KEY (participant_id, seq))",
               "CREATE TABLE IF NOT EXISTS payments (id INTEGER PRIMARY KEY AUTOINCREMENT,"
               " participant_id INTEGER NOT NULL, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,"
               " method TEXT NOT NULL, received_on TEXT NOT NULL, reference_enc BLOB NULL,"
               " receipt_number TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, created_by INTEGER NULL)",
               "CREATE INDEX IF NOT EXISTS payments_participant ON payments (participant_id, id)",
               "CREATE TABLE IF NOT EXISTS payment_allocations (id INTEGER PRIMARY KEY AUTOINCREMENT,"
               " payment_id INTEGER NOT NULL, seq INTEGER NOT NULL, amount_cents INTEGER NOT NULL)",
               "CREATE INDEX IF NOT EXISTS allocations_payment ON payment_allocations (payment_id)",
               "CREATE TABLE IF NOT EXISTS refunds (id INTEGER PRIMARY KEY AUTOINCREMENT, payment_id INTEGER NOT NULL,"
               " participant_id INTEGER NOT NULL, amount_cents INTEGER NOT NULL, reason_enc BLOB NOT NULL,"
               " number TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, created_by INTEGER NULL)",
               "CREATE INDEX IF NOT EXISTS refunds_payment ON refunds (payment_id)",
           },
           {
               mysql("CREATE TABLE IF NOT EXISTS accounts (participant_id BIGINT NOT NULL PRIMARY KEY,"
                     " fee_cents BIGINT NOT NULL, currency CHAR(3) NOT NULL,"
                     " created_at DATETIME NOT NULL)"),
               mysql("CREATE TABLE IF NOT EXISTS ledger_entries (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                     " participant_id BIGINT NOT NULL, kind VARCHAR(10) NOT NULL, amount_cents BIGINT NOT NULL,"
                     " currency CHAR(3) NOT NULL, document_number VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL,"
                     " INDEX ledger_participant (participant_id))"),
               mysql("CREATE TABLE IF NOT EXISTS installments (participant_id BIGINT NOT NULL, seq INT NOT NULL,"
                     " due_on DATE NOT NULL, amount_cents BIGINT NOT NULL, paid_cents BIGINT NOT NULL,"
                     " replaced TINYINT NOT NULL, PRIMARY KEY (participant_id, seq))"),
               mysql("CREATE TABLE IF NOT EXISTS payments (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                     " participant_id BIGINT NOT NULL, amount_cents BIGINT NOT NULL, currency CHAR(3) NOT NULL,"
                     " method VARCHAR(20) NOT NULL, received_on DATE NOT NULL, reference_enc BLOB NULL,"
                     " receipt_number VARCHAR(20) NOT NULL UNIQUE, created_at DATETIME NOT NULL,"
                     " created_by BIGINT NULL, INDEX payments_participant (participant_id, id))"),
               mysql("CREATE TABLE IF NOT EXISTS payment_allocations (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                     " payment_id BIGINT NOT NULL, seq INT NOT NULL, amount_cents BIGINT NOT NULL,"
                     " INDEX allocations_payment (payment_id))"),
               mysql("CREATE TABLE IF NOT EXISTS refunds (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                     " payment_id BIGINT NOT NULL, participant_id BIGINT NOT NULL, amount_cents BIGINT NOT NULL,"
                     " reason_enc BLOB NOT NULL, number VARCHAR(20) NOT NULL UNIQUE, created_at DATETIME NOT NULL,"
                     " created_by BIGINT NULL, INDEX refunds_payment (payment_id))"),
           }}};
}

std::vector<identity::EncryptedColumn> billingEncryptedColumns() {
  return {{"payments", "reference_enc", "payments.reference"},
          {"refunds", "reason_enc", "refunds.reason"},
          {"documents", "content_enc", "documents.content"}};
}

}  // namespace parcours::billing
