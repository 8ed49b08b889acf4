#include "billing/allocation.h"

#include <algorithm>

namespace parcours::billing {

AllocationResult allocatePayment(const std::vector<Installment>& installments, std::int64_t amountCents) {
  std::vector<const Installment*> owed;
  for (const auto& i : installments) {
    if (!i.replaced && i.paidCents < i.amountCents) owed.push_back(&i);
  }
  std::stable_sort(owed.begin(), owed.end(), [](const Installment* a, const Installment* b) {
    return a->dueOn != b->dueOn ? a->dueOn < b->dueOn : a->seq < b->seq;
  });
  AllocationResult result;
  std::int64_t left = amountCents;
  for (const Installment* i : owed) {
    if (left == 0) break;
    const std::int64_t part = std::min(left, i->amountCents - i->paidCents);
    result.allocations.push_back({i->seq, part});
    left -= part;
  }
  result.unallocatedCents = left;
  return result;
}

std::int64_t refundableCents(std::int64_t paymentCents, std::int64_t refundedCents) {
  return std::max<std::int64_t>(0, paymentCents - refundedCents);
}

}  // namespace parcours::billing
