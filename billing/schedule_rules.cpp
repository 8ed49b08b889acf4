#include "billing/schedule_rules.h"

#include <algorithm>
#include <map>

namespace parcours::billing {

std::int64_t owedOnInstallments(const std::vector<Installment>& installments) {
  std::int64_t owed = 0;
  for (const auto& i : installments) {
    if (!i.replaced && i.amountCents > i.paidCents) owed += i.amountCents - i.paidCents;
  }
  return owed;
}

namespace {

std::int64_t paidOnInstallments(const std::vector<Installment>& installments) {
  std::int64_t paid = 0;
  for (const auto& i : installments) {
    if (!i.replaced) paid += i.paidCents;
  }
  return paid;
}

}  // namespace

std::vector<Allocation> planReopen(const std::vector<Installment>& installments,
                                   const std::vector<Allocation>& paymentAllocations, const AccountTotals& totals,
                                   std::int64_t refundCents) {
  const std::int64_t mustReopen = std::max<std::int64_t>(
      0, paidOnInstallments(installments) - (totals.paymentsCents - totals.refundsCents - refundCents));
  const std::int64_t mayReopen =
      std::max<std::int64_t>(0, totals.balance() + refundCents - owedOnInstallments(installments));
  std::int64_t toReopen = std::max(mustReopen, std::min(refundCents, mayReopen));

  std::vector<Allocation> order;
  for (const auto& a : paymentAllocations) {
    if (a.amountCents > 0) order.push_back(a);
  }
  for (auto it = installments.rbegin(); it != installments.rend(); ++it) {
    if (!it->replaced && it->paidCents > 0) order.push_back({it->seq, it->paidCents});
  }
  std::map<int, std::int64_t> paidLeft;
  for (const auto& i : installments) paidLeft[i.seq] = i.replaced ? 0 : i.paidCents;

  std::vector<Allocation> reopened;
  for (const auto& candidate : order) {
    if (toReopen == 0) break;
    const std::int64_t part = std::min({toReopen, candidate.amountCents, paidLeft[candidate.seq]});
    if (part <= 0) continue;
    reopened.push_back({candidate.seq, part});
    paidLeft[candidate.seq] -= part;
    toReopen -= part;
  }
  return reopened;
}

std::vector<Allocation> planTrim(const std::vector<Installment>& installments, std::int64_t balanceCents) {
  const std::int64_t owing = std::max<std::int64_t>(0, balanceCents);
  std::int64_t excess = std::max<std::int64_t>(0, owedOnInstallments(installments) - owing);
  std::vector<Allocation> cuts;
  for (auto it = installments.rbegin(); it != installments.rend() && excess > 0; ++it) {
    if (it->replaced) continue;
    const std::int64_t cut = std::min(it->amountCents - it->paidCents, excess);
    if (cut <= 0) continue;
    cuts.push_back({it->seq, cut});
    excess -= cut;
  }
  return cuts;
}

}  // namespace parcours::billing
