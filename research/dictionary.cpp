#include "research/dictionary.h"

namespace parcours::research {

const std::vector<ColumnSpec>& exportColumns() {
  static const std::vector<ColumnSpec> columns{
      {"study_id",
       "text",
       "The file's id in this study: 24 hex characters, the same in every export of the study, unrelated across "
       "studies.",
       {}},
      {"referral_month", "month", "Month of the prosecutor's referral, YYYY-MM.", {}},
      {"days_referral_to_decision", "integer", "Days from referral to the recorded eligibility decision.", {}},
      {"days_decision_to_commitment", "integer", "Days from the eligibility decision to the signed commitment.", {}},
      {"days_commitment_to_first_session",
       "integer",
       "Days from the commitment to the first attended therapy session.",
       {}},
      {"days_first_session_to_end",
       "integer",
       "Days from the first attended therapy session to completion or withdrawal.",
       {}},
      {"outcome", "category", "Where the file stands.", {"completed", "withdrawn", "ineligible", "in_progress"}},
      {"outcome_reason",
       "category",
       "Why: completed files met the criteria; ineligible files met an exclusion criterion or were declined by the "
       "prosecutor; withdrawn files are placed by the step they had reached. Empty while in progress.",
       {"criteria_met", "exclusion_criteria", "prosecutor_decision", "before_commitment", "before_first_session",
        "during_therapy"}},
      {"exclusion_criteria_met",
       "category",
       "The program's exclusion criteria recorded at the decision, joined by ';'; none; empty before any decision.",
       {"none", "offence_involved_minor", "history_of_violence", "earlier_participation"}},
      {"age_band",
       "category",
       "Age at referral.",
       {"under_18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown"}},
      {"language", "category", "Language of correspondence.", {"fr", "en"}},
      {"fee_band",
       "category",
       "Fee owed after any reduction, in dollars; empty when no fee was charged.",
       {"0", "1-249", "250-499", "500-749", "750-999", "1000+"}},
      {"fee_status",
       "category",
       "Whether the fee was reduced or waived; empty when no fee was charged.",
       {"full", "reduced", "waived"}},
      {"installments_planned", "integer", "Installments of the current payment plan (0: no plan).", {}},
      {"share_paid_on_time_percent",
       "integer",
       "Percent (0-100, rounded down) of the plan's total paid on or before each installment's due date; empty "
       "without a plan.",
       {}},
      {"days_late",
       "integer",
       "Most days any installment was fully paid after its due date (0: none late; unpaid installments not "
       "counted); empty without a plan.",
       {}},
      {"awareness_day_attended", "boolean", "Whether the awareness day was attended.", {"yes", "no"}},
      {"sessions_planned", "integer", "Therapy sessions booked and not cancelled with notice.", {}},
      {"sessions_attended", "integer", "Therapy sessions attended.", {}},
      {"sessions_excused", "integer", "Therapy sessions excused by a coordinator.", {}},
      {"sessions_no_show", "integer", "Therapy sessions missed without notice.", {}},
      {"sessions_late_cancelled", "integer", "Therapy sessions cancelled by the participant less than 24 h ahead.", {}},
      {"practitioner_pseudonym",
       "text",
       "The practitioner of the first therapy plan: 16 hex characters, stable within the study, unrelated across "
       "studies; empty without a plan.",
       {}},
      {"practitioner_discipline",
       "category",
       "That practitioner's discipline; empty without a plan.",
       {"sexologist", "therapist"}},
  };
  return columns;
}

}  // namespace parcours::research
