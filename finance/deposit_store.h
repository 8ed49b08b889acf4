#pragma once
// DepositStore — the SQL of deposits: the slip taken to the bank or a card
// terminal's daily batch, grouping hand-recorded payments, less an optional
// fee. Every method runs inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "billing/payment_store.h"
#include "core/id.h"
#include "storage/database.h"

namespace parcours::finance {

struct Deposit {
  core::DepositId id{0};
  billing::PaymentMethod method = billing::PaymentMethod::cheque;
  core::LocalDate depositedOn;
  std::int64_t totalCents = 0;
  std::int64_t feeCents = 0;
  std::int64_t netCents() const { return totalCents - feeCents; }
  std::vector<core::PaymentId> payments;
  std::optional<core::BankLineId> bankLine;  // the line it was matched to
};

class DepositStore {
 public:
  core::DepositId insert(storage::Transaction& tx, const Deposit& deposit, core::Instant at,
                         std::optional<core::UserId> by) const;
  // Throws storage::ConstraintViolation when the payment is already in a deposit.
  void addPayment(storage::Transaction& tx, core::DepositId deposit, core::PaymentId payment) const;
  std::optional<core::DepositId> depositOf(storage::Transaction& tx, core::PaymentId payment) const;
  std::optional<Deposit> find(storage::Transaction& tx, core::DepositId deposit) const;
  // Deposited in [from, to] (either open), by day then id.
  std::vector<Deposit> list(storage::Transaction& tx, std::optional<core::LocalDate> from,
                            std::optional<core::LocalDate> to) const;

 private:
  Deposit fromRow(storage::Transaction& tx, const storage::Row& row) const;
};

}  // namespace parcours::finance
