#pragma once
// Payment plans (docs/domain.md "Money") — pure: splitting a balance into
// installments, their due dates, their states, and what a new plan does to
// an earlier one.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace parcours::billing {

enum class Frequency { weekly, biweekly, monthly };
std::string_view toString(Frequency frequency);
std::optional<Frequency> frequencyFromString(std::string_view text);

enum class InstallmentStatus { open, partial, paid, overdue, replaced };
std::string_view toString(InstallmentStatus status);

struct Installment {
  int seq = 0;  // 1, 2, … over the whole account, never reused
  core::LocalDate dueOn;
  std::int64_t amountCents = 0;
  std::int64_t paidCents = 0;
  bool replaced = false;
};

// Due dates from `first`: weekly and biweekly add 7 or 14 days; monthly
// keeps the first date's day of month, clamped to each month's last day
// (31 Jan → 28/29 Feb → 31 Mar). REQUIRES: count >= 1.
std::vector<core::LocalDate> dueDates(core::LocalDate first, int count, Frequency frequency);

// `count` installments of equal cents summing to `balanceCents`, the
// remainder on the first, numbered from `firstSeq`. REQUIRES: count >= 1,
// balanceCents > 0.
std::vector<Installment> planInstallments(std::int64_t balanceCents, core::LocalDate first, int count,
                                          Frequency frequency, int firstSeq);

// A new plan over an account's installments: a partly paid installment is
// closed at what was paid, unpaid ones are replaced; paid ones stay. Returns
// the installments as they must be stored (old ones changed, new appended).
std::vector<Installment> replan(std::vector<Installment> existing, std::int64_t balanceCents, core::LocalDate first,
                                int count, Frequency frequency);

// The state shown to users: replaced, paid, partial or open — and overdue
// when not fully paid after due date + grace.
InstallmentStatus statusOf(const Installment& installment, core::LocalDate today, int graceDays);

}  // namespace parcours::billing
