#pragma once
// Where a payment goes, and how much may be refunded (docs/domain.md "Money") — pure.

#include <cstdint>
#include <vector>

#include "billing/installments.h"

namespace parcours::billing {

struct Allocation {
  int seq = 0;
  std::int64_t amountCents = 0;
};

struct AllocationResult {
  std::vector<Allocation> allocations;
  std::int64_t unallocatedCents = 0;  // beyond every installment: a credit balance
};

// Settles the installments still owed, oldest due date first (then seq),
// skipping replaced and paid ones. REQUIRES: amountCents > 0.
AllocationResult allocatePayment(const std::vector<Installment>& installments, std::int64_t amountCents);

// What of a payment may still be refunded. Never negative.
std::int64_t refundableCents(std::int64_t paymentCents, std::int64_t refundedCents);

}  // namespace parcours::billing
