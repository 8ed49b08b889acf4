#include "billing/payment_store.h"

#include "storage/filters.h"

namespace parcours::billing {

using core::ParticipantId;
using core::PaymentId;
using storage::id;

namespace {

constexpr const char* kPaymentColumns =
    "SELECT p.id, p.participant_id, p.amount_cents, p.currency, p.method, p.received_on, p.reference_enc,"
    " p.receipt_number, p.created_at,"
    " (SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r WHERE r.payment_id = p.id),"
    " (SELECT COALESCE(SUM(t.amount_cents), 0) FROM returned_payments t WHERE t.payment_id = p.id) FROM payments p";
constexpr const char* kReferenceContext = "payments.reference";
constexpr const char* kReasonContext = "refunds.reason";

}  // namespace

std::string_view toString(PaymentMethod method) {
  switch (method) {
    case PaymentMethod::cash: return "cash";
    case PaymentMethod::cheque: return "cheque";
    case PaymentMethod::debit: return "debit";
    case PaymentMethod::credit: return "credit";
    case PaymentMethod::interac: return "interac";
    case PaymentMethod::bank_transfer: return "bank_transfer";
  }
  return "cash";
}

std::optional<PaymentMethod> paymentMethodFromString(std::string_view text) {
  for (const auto m : kPaymentMethods) {
    if (toString(m) == text) return m;
  }
  return std::nullopt;
}

PaymentRecord PaymentStore::fromRow(const storage::Row& row) const {
  PaymentRecord p;
  p.id = row.id<core::PaymentTag>(0);
  p.participantId = row.id<core::ParticipantTag>(1);
  p.amount = core::Money(row.int64(2), row.text(3));
  p.method = paymentMethodFromString(row.text(4)).value_or(PaymentMethod::cash);
  p.receivedOn = row.date(5);
  if (!row.isNull(6)) p.reference = cipher_.decrypt(row.blob(6), kReferenceContext, p.id.value());
  p.receiptNumber = row.text(7);
  p.recordedAt = row.instant(8);
  p.refunded = core::Money(row.int64(9), row.text(3));
  p.returned = core::Money(row.int64(10), row.text(3));
  return p;
}

std::optional<ParticipantId> PaymentStore::payerOf(storage::Transaction& tx, PaymentId payment) const {
  const auto row = tx.queryOne("SELECT participant_id FROM payments WHERE id = ?", {id(payment)});
  if (!row) return std::nullopt;
  return row->id<core::ParticipantTag>(0);
}

std::optional<PaymentRecord> PaymentStore::find(storage::Transaction& tx, PaymentId payment) const {
  const auto row = tx.queryOne(std::string(kPaymentColumns) + " WHERE p.id = ?", {id(payment)});
  if (!row) return std::nullopt;
  return fromRow(*row);
}

std::vector<PaymentRecord> PaymentStore::list(storage::Transaction& tx, const PaymentFilter& f) const {
  storage::Filters where;
  where.add("p.participant_id", "=", storage::optional(f.participantId))
      .add("p.method", "=", storage::optional(f.method))
      .add("p.received_on", ">=", storage::optional(f.from))
      .add("p.received_on", "<=", storage::optional(f.to));
  storage::Params params{id(f.afterId)};
  params.insert(params.end(), where.params().begin(), where.params().end());
  params.push_back(std::int64_t{f.limit});
  std::vector<PaymentRecord> records;
  for (const auto& row : tx.query(
           std::string(kPaymentColumns) + " WHERE p.id > ? AND " + where.sql() + " ORDER BY p.id LIMIT ?", params)) {
    records.push_back(fromRow(row));
  }
  return records;
}

PaymentId PaymentStore::insert(storage::Transaction& tx, const PaymentRecord& p, core::Instant at,
                               std::optional<core::UserId> createdBy) const {
  const PaymentId paymentId =
      tx.query(
            "INSERT INTO payments (participant_id, amount_cents, currency, method, received_on, reference_enc,"
            " receipt_number, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {id(p.participantId), p.amount.cents(), std::string(p.amount.currency()), std::string(toString(p.method)),
             p.receivedOn, storage::Null{}, p.receiptNumber, at, storage::optional(createdBy)})
          .at(0)
          .id<core::PaymentTag>(0);
  // Sealed once the row has its id, which the reference is bound to.
  if (p.reference) {
    tx.execute("UPDATE payments SET reference_enc = ? WHERE id = ?",
               {storage::Blob{cipher_.encrypt(*p.reference, kReferenceContext, paymentId.value())}, id(paymentId)});
  }
  return paymentId;
}

void PaymentStore::allocate(storage::Transaction& tx, PaymentId payment, int seq, std::int64_t cents) const {
  tx.execute("INSERT INTO payment_allocations (payment_id, seq, amount_cents) VALUES (?, ?, ?)",
             {id(payment), std::int64_t{seq}, cents});
}

std::vector<Allocation> PaymentStore::allocationsOf(storage::Transaction& tx, PaymentId payment) const {
  std::vector<Allocation> all;
  for (const auto& row : tx.query("SELECT seq, SUM(amount_cents) FROM payment_allocations WHERE payment_id = ?"
                                  " GROUP BY seq ORDER BY seq DESC",
                                  {id(payment)})) {
    all.push_back({static_cast<int>(row.int64(0)), row.int64(1)});
  }
  return all;
}

core::RefundId PaymentStore::insertRefund(storage::Transaction& tx, const NewRefund& r) const {
  const core::RefundId refundId =
      tx.query(
            "INSERT INTO refunds (payment_id, participant_id, amount_cents, reason_enc, number, created_at,"
            " created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {id(r.paymentId), id(r.participantId), r.amount.cents(), storage::Blob{}, r.number, r.at,
             storage::optional(r.createdBy)})
          .at(0)
          .id<core::RefundTag>(0);
  tx.execute("UPDATE refunds SET reason_enc = ? WHERE id = ?",
             {storage::Blob{cipher_.encrypt(r.reason, kReasonContext, refundId.value())}, id(refundId)});
  return refundId;
}

void PaymentStore::insertReturned(storage::Transaction& tx, PaymentId payment, std::int64_t cents, core::LocalDate day,
                                  core::Instant at, std::optional<core::UserId> createdBy) const {
  tx.execute("INSERT INTO returned_payments (payment_id, amount_cents, returned_on, created_at, created_by)"
             " VALUES (?, ?, ?, ?, ?)",
             {id(payment), cents, day, at, storage::optional(createdBy)});
}

}  // namespace parcours::billing
