#include "research/export_rows.h"

#include <algorithm>
#include <cstdio>

namespace parcours::research {

using participants::Status;
using scheduler::SessionStatus;

namespace {

std::optional<core::LocalDate> firstAttendedSession(const FileFacts& file) {
  std::optional<core::LocalDate> first;
  for (const auto& s : file.sessions) {
    if (s.status == SessionStatus::attended && (!first || s.day < *first)) first = s.day;
  }
  return first;
}

std::string exclusionCriteriaOf(const FileFacts& file) {
  if (!file.decided) return "";
  std::string out;
  const auto add = [&](bool met, const char* name) {
    if (met) out += (out.empty() ? "" : ";") + std::string(name);
  };
  add(file.offenceInvolvedMinor, "offence_involved_minor");
  add(file.historyOfViolence, "history_of_violence");
  add(file.earlierParticipation, "earlier_participation");
  return out.empty() ? "none" : out;
}

struct Payments {
  std::optional<std::int64_t> sharePercent;
  std::optional<std::int64_t> daysLate;
};

// The day the installment's allocations (oldest payment first) reached its amount.
std::optional<core::LocalDate> paidInFullOn(const InstallmentFacts& installment) {
  auto allocations = installment.allocations;
  std::sort(allocations.begin(), allocations.end(),
            [](const auto& a, const auto& b) { return a.receivedOn < b.receivedOn; });
  std::int64_t paid = 0;
  for (const auto& a : allocations) {
    paid += a.cents;
    if (paid >= installment.amountCents) return a.receivedOn;
  }
  return std::nullopt;
}

Payments paymentsOf(const std::vector<InstallmentFacts>& installments) {
  std::int64_t total = 0, onTime = 0, late = 0;
  for (const auto& i : installments) {
    total += i.amountCents;
    std::int64_t byDue = 0;
    for (const auto& a : i.allocations) {
      if (a.receivedOn <= i.dueOn) byDue += a.cents;
    }
    onTime += std::min(byDue, i.amountCents);
    if (const auto paid = paidInFullOn(i); paid && *paid > i.dueOn)
      late = std::max<std::int64_t>(late, (*paid - i.dueOn).count());
  }
  if (installments.empty()) return {};
  return {total > 0 ? onTime * 100 / total : 100, late};
}

}  // namespace

std::string ageBandAt(std::optional<core::LocalDate> birthDate, core::LocalDate on) {
  if (!birthDate) return "unknown";
  const date::year_month_day born{*birthDate}, day{on};
  int age = static_cast<int>(day.year()) - static_cast<int>(born.year());
  if (date::month_day{day.month(), day.day()} < date::month_day{born.month(), born.day()}) --age;
  if (age < 18) return "under_18";
  if (age <= 24) return "18-24";
  if (age <= 34) return "25-34";
  if (age <= 44) return "35-44";
  if (age <= 54) return "45-54";
  if (age <= 64) return "55-64";
  return "65+";
}

std::string feeBandOf(std::int64_t owedCents) {
  if (owedCents <= 0) return "0";
  const std::int64_t dollars = owedCents / 100;
  if (dollars < 250) return "1-249";
  if (dollars < 500) return "250-499";
  if (dollars < 750) return "500-749";
  if (dollars < 1000) return "750-999";
  return "1000+";
}

std::string feeStatusOf(const FeeFacts& fee) {
  if (fee.owedCents <= 0) return "waived";
  if (fee.owedCents < fee.chargedCents) return "reduced";
  return "full";
}

std::string outcomeOf(Status status) {
  switch (status) {
    case Status::completed: return "completed";
    case Status::withdrawn: return "withdrawn";
    case Status::ineligible: return "ineligible";
    default: return "in_progress";
  }
}

std::string reasonCategoryOf(const FileFacts& file, std::optional<core::LocalDate> firstSession) {
  switch (file.status) {
    case Status::completed: return "criteria_met";
    case Status::ineligible:
      return file.offenceInvolvedMinor || file.historyOfViolence || file.earlierParticipation ? "exclusion_criteria"
                                                                                              : "prosecutor_decision";
    case Status::withdrawn:
      if (!file.committedOn) return "before_commitment";
      return firstSession ? "during_therapy" : "before_first_session";
    default: return "";
  }
}

std::string referralMonthOf(core::LocalDate referredOn) {
  const date::year_month_day ymd{referredOn};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  return text;
}

std::optional<std::int64_t> daysBetween(std::optional<core::LocalDate> from, std::optional<core::LocalDate> to) {
  if (!from || !to) return std::nullopt;
  return (*to - *from).count();
}

ExportRow exportRowOf(const FileFacts& file, const StudyKey& key) {
  const auto firstSession = firstAttendedSession(file);
  ExportRow row;
  row.studyId = key.studyIdOf(file.id);
  row.referralMonth = referralMonthOf(file.referredOn);
  row.daysReferralToDecision = daysBetween(file.referredOn, file.decidedOn);
  row.daysDecisionToCommitment = daysBetween(file.decidedOn, file.committedOn);
  row.daysCommitmentToFirstSession = daysBetween(file.committedOn, firstSession);
  row.daysFirstSessionToEnd = daysBetween(firstSession, file.closedOn);
  row.outcome = outcomeOf(file.status);
  row.reasonCategory = reasonCategoryOf(file, firstSession);
  row.exclusionCriteriaMet = exclusionCriteriaOf(file);
  row.ageBand = ageBandAt(file.birthDate, file.referredOn);
  row.language = file.language == "fr" || file.language == "en" ? file.language : "other";
  if (file.fee && file.fee->chargedCents > 0) {
    row.feeBand = feeBandOf(file.fee->owedCents);
    row.feeStatus = feeStatusOf(*file.fee);
  }
  row.installmentsPlanned = static_cast<std::int64_t>(file.installments.size());
  const Payments payments = paymentsOf(file.installments);
  row.sharePaidOnTimePercent = payments.sharePercent;
  row.daysLate = payments.daysLate;
  row.awarenessDayAttended = file.awarenessDayAttended;
  for (const auto& s : file.sessions) {
    if (s.status != SessionStatus::cancelled) ++row.sessionsPlanned;
    row.sessionsAttended += s.status == SessionStatus::attended;
    row.sessionsExcused += s.status == SessionStatus::excused;
    row.sessionsNoShow += s.status == SessionStatus::no_show;
    row.sessionsLateCancelled += s.status == SessionStatus::late_cancelled;
  }
  if (file.practitioner) {
    row.practitionerPseudonym = key.pseudonymOf(file.practitioner->id);
    row.practitionerDiscipline = file.practitioner->discipline;
  }
  return row;
}

std::vector<ExportCell> cellsOf(const ExportRow& row) {
  const auto text = [](const std::string& value) {
    return ExportCell{value.empty() ? std::nullopt : std::optional(value), false};
  };
  const auto number = [](std::optional<std::int64_t> value) {
    return ExportCell{value ? std::optional(std::to_string(*value)) : std::nullopt, true};
  };
  const auto flag = [](bool value) { return ExportCell{std::string(value ? "yes" : "no"), false}; };
  return {text(row.studyId),
          text(row.referralMonth),
          number(row.daysReferralToDecision),
          number(row.daysDecisionToCommitment),
          number(row.daysCommitmentToFirstSession),
          number(row.daysFirstSessionToEnd),
          text(row.outcome),
          text(row.reasonCategory),
          text(row.exclusionCriteriaMet),
          text(row.ageBand),
          text(row.language),
          text(row.feeBand),
          text(row.feeStatus),
          number(row.installmentsPlanned),
          number(row.sharePaidOnTimePercent),
          number(row.daysLate),
          flag(row.awarenessDayAttended),
          number(row.sessionsPlanned),
          number(row.sessionsAttended),
          number(row.sessionsExcused),
          number(row.sessionsNoShow),
          number(row.sessionsLateCancelled),
          text(row.practitionerPseudonym),
          text(row.practitionerDiscipline)};
}

}  // namespace parcours::research
