#pragma once
// PaymentStore — the SQL of billing's payments, their allocations to
// installments and their refunds. The payment's reference and the refund's
// reason are encrypted at rest, bound to their row's id (sealed once the
// row has it). Every method runs inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "billing/allocation.h"
#include "core/id.h"
#include "core/money.h"
#include "identity/key_file_cipher.h"
#include "storage/database.h"

namespace parcours::billing {

enum class PaymentMethod { cash, cheque, debit, credit, interac, bank_transfer };
inline constexpr PaymentMethod kPaymentMethods[] = {PaymentMethod::cash,    PaymentMethod::cheque,
                                                    PaymentMethod::debit,   PaymentMethod::credit,
                                                    PaymentMethod::interac, PaymentMethod::bank_transfer};
std::string_view toString(PaymentMethod method);
std::optional<PaymentMethod> paymentMethodFromString(std::string_view text);

struct PaymentRecord {
  core::PaymentId id{0};
  core::ParticipantId participantId{0};
  core::Money amount{0, "CAD"};
  PaymentMethod method = PaymentMethod::cash;
  core::LocalDate receivedOn;
  std::optional<std::string> reference;
  std::string receiptNumber;
  core::Instant recordedAt;
  core::Money refunded{0, "CAD"};  // the sum of its refunds
  core::Money returned{0, "CAD"};  // what the bank sent back (a returned cheque), 0 when it cleared
};

struct PaymentFilter {
  std::optional<core::ParticipantId> participantId;
  std::optional<std::string> method;        // as given: an unknown method matches nothing
  std::optional<core::LocalDate> from, to;  // received_on, inclusive
  core::PaymentId afterId{0};
  int limit = 50;
};

struct NewRefund {
  core::PaymentId paymentId{0};
  core::ParticipantId participantId{0};
  core::Money amount{0, "CAD"};
  std::string reason;
  std::string number;
  core::Instant at;
  std::optional<core::UserId> createdBy;
};

class PaymentStore {
 public:
  // REQUIRES: cipher outlives the store.
  explicit PaymentStore(const identity::KeyFileCipher& cipher) : cipher_(cipher) {}

  std::optional<core::ParticipantId> payerOf(storage::Transaction& tx, core::PaymentId payment) const;
  std::optional<PaymentRecord> find(storage::Transaction& tx, core::PaymentId payment) const;
  std::vector<PaymentRecord> list(storage::Transaction& tx, const PaymentFilter& filter) const;
  // Stores the payment (id, refunded and recordedAt of `payment` ignored:
  // recorded at `at`); returns its id.
  core::PaymentId insert(storage::Transaction& tx, const PaymentRecord& payment, core::Instant at,
                         std::optional<core::UserId> createdBy) const;

  // One allocation row (negative cents: a refund reopening that much).
  void allocate(storage::Transaction& tx, core::PaymentId payment, int seq, std::int64_t cents) const;
  // What the payment holds on each installment, net, newest seq first.
  std::vector<Allocation> allocationsOf(storage::Transaction& tx, core::PaymentId payment) const;

  core::RefundId insertRefund(storage::Transaction& tx, const NewRefund& refund) const;
  // Records that the bank sent the payment back (`cents` of it, what was not
  // refunded). Throws storage::ConstraintViolation when it already was.
  void insertReturned(storage::Transaction& tx, core::PaymentId payment, std::int64_t cents, core::LocalDate day,
                      core::Instant at, std::optional<core::UserId> createdBy) const;

 private:
  PaymentRecord fromRow(const storage::Row& row) const;

  const identity::KeyFileCipher& cipher_;
};

}  // namespace parcours::billing
