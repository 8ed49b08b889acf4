#include "finance/deposit_store.h"

#include "storage/filters.h"

namespace parcours::finance {

using storage::id;

namespace {
constexpr const char* kDepositColumns =
    "SELECT d.id, d.method, d.deposited_on, d.total_cents, d.fee_cents,"
    " (SELECT l.id FROM bank_lines l WHERE l.deposit_id = d.id) FROM deposits d";
}

Deposit DepositStore::fromRow(storage::Transaction& tx, const storage::Row& row) const {
  Deposit d;
  d.id = row.id<core::DepositTag>(0);
  d.method = billing::paymentMethodFromString(row.text(1)).value_or(billing::PaymentMethod::cheque);
  d.depositedOn = row.date(2);
  d.totalCents = row.int64(3);
  d.feeCents = row.int64(4);
  if (const auto line = row.optInt64(5)) d.bankLine = core::BankLineId(*line);
  for (const auto& p :
       tx.query("SELECT payment_id FROM deposit_payments WHERE deposit_id = ? ORDER BY payment_id", {id(d.id)})) {
    d.payments.push_back(p.id<core::PaymentTag>(0));
  }
  return d;
}

core::DepositId DepositStore::insert(storage::Transaction& tx, const Deposit& d, core::Instant at,
                                     std::optional<core::UserId> by) const {
  return tx
      .query("INSERT INTO deposits (method, deposited_on, total_cents, fee_cents, created_at, created_by)"
             " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
             {std::string(billing::toString(d.method)), d.depositedOn, d.totalCents, d.feeCents, at,
              storage::optional(by)})
      .at(0)
      .id<core::DepositTag>(0);
}

void DepositStore::addPayment(storage::Transaction& tx, core::DepositId deposit, core::PaymentId payment) const {
  tx.execute("INSERT INTO deposit_payments (payment_id, deposit_id) VALUES (?, ?)", {id(payment), id(deposit)});
}

std::optional<core::DepositId> DepositStore::depositOf(storage::Transaction& tx, core::PaymentId payment) const {
  const auto row = tx.queryOne("SELECT deposit_id FROM deposit_payments WHERE payment_id = ?", {id(payment)});
  if (!row) return std::nullopt;
  return row->id<core::DepositTag>(0);
}

std::optional<Deposit> DepositStore::find(storage::Transaction& tx, core::DepositId deposit) const {
  const auto row = tx.queryOne(std::string(kDepositColumns) + " WHERE d.id = ?", {id(deposit)});
  if (!row) return std::nullopt;
  return fromRow(tx, *row);
}

std::vector<Deposit> DepositStore::list(storage::Transaction& tx, std::optional<core::LocalDate> from,
                                        std::optional<core::LocalDate> to) const {
  storage::Filters where;
  where.add("d.deposited_on", ">=", storage::optional(from)).add("d.deposited_on", "<=", storage::optional(to));
  std::vector<Deposit> all;
  for (const auto& row : tx.query(std::string(kDepositColumns) + " WHERE " + where.sql() +
                                      " ORDER BY d.deposited_on, d.id LIMIT 5000",
                                  where.params())) {
    all.push_back(fromRow(tx, row));
  }
  return all;
}

}  // namespace parcours::finance
