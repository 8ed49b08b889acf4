#include "billing/installments.h"

#include <algorithm>

namespace parcours::billing {

std::string_view toString(Frequency frequency) {
  switch (frequency) {
    case Frequency::weekly: return "weekly";
    case Frequency::biweekly: return "biweekly";
    case Frequency::monthly: return "monthly";
  }
  return "monthly";
}

std::optional<Frequency> frequencyFromString(std::string_view text) {
  for (const auto f : {Frequency::weekly, Frequency::biweekly, Frequency::monthly}) {
    if (toString(f) == text) return f;
  }
  return std::nullopt;
}

std::string_view toString(InstallmentStatus status) {
  switch (status) {
    case InstallmentStatus::open: return "open";
    case InstallmentStatus::partial: return "partial";
    case InstallmentStatus::paid: return "paid";
    case InstallmentStatus::overdue: return "overdue";
    case InstallmentStatus::replaced: return "replaced";
  }
  return "open";
}

std::vector<core::LocalDate> dueDates(core::LocalDate first, int count, Frequency frequency) {
  std::vector<core::LocalDate> dates;
  dates.reserve(static_cast<std::size_t>(count));
  const date::year_month_day start{first};
  for (int i = 0; i < count; ++i) {
    if (frequency == Frequency::monthly) {
      const date::year_month month = date::year_month{start.year(), start.month()} + date::months(i);
      const date::day last = date::year_month_day_last{month.year(), date::month_day_last{month.month()}}.day();
      dates.push_back(core::LocalDate{date::year_month_day{month.year(), month.month(), std::min(start.day(), last)}});
    } else {
      dates.push_back(first + date::days((frequency == Frequency::weekly ? 7 : 14) * i));
    }
  }
  return dates;
}

std::vector<Installment> planInstallments(std::int64_t balanceCents, core::LocalDate first, int count,
                                          Frequency frequency, int firstSeq) {
  const auto dates = dueDates(first, count, frequency);
  const std::int64_t share = balanceCents / count;
  const std::int64_t remainder = balanceCents - share * count;
  std::vector<Installment> plan;
  for (int i = 0; i < count; ++i) {
    plan.push_back({firstSeq + i, dates[static_cast<std::size_t>(i)], share + (i == 0 ? remainder : 0), 0, false});
  }
  return plan;
}

std::vector<Installment> replan(std::vector<Installment> existing, std::int64_t balanceCents, core::LocalDate first,
                                int count, Frequency frequency) {
  int nextSeq = 1;
  for (auto& installment : existing) {
    nextSeq = std::max(nextSeq, installment.seq + 1);
    if (installment.replaced || installment.paidCents >= installment.amountCents) continue;
    if (installment.paidCents > 0) {
      installment.amountCents = installment.paidCents;  // closed at what was paid
    } else {
      installment.replaced = true;
    }
  }
  for (auto& installment : planInstallments(balanceCents, first, count, frequency, nextSeq)) {
    existing.push_back(installment);
  }
  return existing;
}

InstallmentStatus statusOf(const Installment& installment, core::LocalDate today, int graceDays) {
  if (installment.replaced) return InstallmentStatus::replaced;
  if (installment.paidCents >= installment.amountCents) return InstallmentStatus::paid;
  if (today > installment.dueOn + date::days(graceDays)) return InstallmentStatus::overdue;
  return installment.paidCents > 0 ? InstallmentStatus::partial : InstallmentStatus::open;
}

}  // namespace parcours::billing
