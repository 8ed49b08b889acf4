#pragma once
// What a refund or a lower balance does to the installment schedule
// (docs/domain.md "Money") — pure. The schedule stays true to the account:
// installments never hold more paid than the payments less refunds, and
// never ask for more than the balance.

#include <cstdint>
#include <vector>

#include "billing/allocation.h"
#include "billing/installments.h"
#include "billing/ledger.h"

namespace parcours::billing {

// What the live (not replaced) installments still ask for.
std::int64_t owedOnInstallments(const std::vector<Installment>& installments);

// What a refund of `refundCents` from one payment takes back from the
// installments it had settled: the parts to reopen (seq, cents > 0), in the
// order taken. `paymentAllocations` is what that payment put on each
// installment (net of earlier refunds, newest seq first); `totals` the
// account before the refund.
//
// At least enough is reopened that the installments hold no more paid than
// the payments less refunds afterwards; at most the refund, and no more than
// keeps the schedule within the balance after the refund (a refund taken
// from a credit balance reopens nothing more). The payment's own
// installments come first (newest first), then any other, newest first.
// REQUIRES: refundCents > 0.
std::vector<Allocation> planReopen(const std::vector<Installment>& installments,
                                   const std::vector<Allocation>& paymentAllocations, const AccountTotals& totals,
                                   std::int64_t refundCents);

// The cuts (seq, cents > 0) that keep the installments still owed from
// asking for more than `balanceCents`: from the last installment back. An
// installment cut to nothing leaves the plan (it is marked replaced).
std::vector<Allocation> planTrim(const std::vector<Installment>& installments, std::int64_t balanceCents);

}  // namespace parcours::billing
