#pragma once
// The research export's values (pure): what one participant file becomes in
// the de-identified export (docs/research.md lists the columns).
//
// Input is the typed facts of one file, loaded by research_store.h; output
// is one row of coarse values only: a study id, a month, day counts, bands,
// categories and counts. Nothing of the input that identifies a person
// (dates, names, references, codes, free text) is copied into the row: the
// row's types cannot hold a date, and every text field holds one of the
// fixed categories below or a keyed pseudonym (study_keys.h).
//
// Rules, decided here once:
//   - intervals are whole days between local dates, referral → decision →
//     commitment → first attended therapy session → completion or
//     withdrawal; empty when either end is missing (the step did not
//     happen);
//   - outcome: completed | withdrawn | ineligible | in_progress;
//     reason category: ineligible → exclusion_criteria (a criterion met) or
//     prosecutor_decision; withdrawn → before_commitment |
//     before_first_session | during_therapy (from the file's dates: the
//     withdrawal reason itself is free text and never exported);
//     completed → criteria_met; in_progress → empty;
//   - exclusion criteria met: the criteria recorded at the decision
//     (offence_involved_minor, history_of_violence, earlier_participation)
//     joined by ";", "none", or empty before any decision;
//   - age band at referral: 18-24, 25-34, 35-44, 45-54, 55-64, 65+ (under_18
//     should not occur; unknown when the birth date is gone);
//   - fee band of the fee owed after any adjustment, in dollars: 0, 1-249,
//     250-499, 500-749, 750-999, 1000+; fee status full | reduced | waived;
//     both empty when no fee was ever charged;
//   - installments planned: the current payment plan's installments;
//     share paid on time: whole percent (rounded down) of their total paid
//     by payments received on or before each due date; days late: the most
//     days any installment was fully paid after its due date (0 when none
//     late); installments still unpaid are not counted in days late; both
//     empty without a plan;
//   - sessions: the therapy sessions booked for the file, cancelled ones
//     (by anyone, with notice) left out of "planned"; late cancellations
//     counted apart;
//   - practitioner: the one of the file's first therapy plan (pseudonym and
//     discipline), empty without a plan.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "participants/lifecycle.h"
#include "research/study_keys.h"
#include "scheduler/session_status.h"

namespace parcours::research {

struct InstallmentFacts {
  core::LocalDate dueOn;
  std::int64_t amountCents = 0;
  struct Allocation {
    core::LocalDate receivedOn;  // the payment's date
    std::int64_t cents = 0;
  };
  std::vector<Allocation> allocations;  // payments applied to this installment
};

struct FeeFacts {
  std::int64_t chargedCents = 0;  // the fee as first charged (sum of charges)
  std::int64_t owedCents = 0;     // the fee now, after reductions or a waiver
};

struct PractitionerFacts {
  core::PractitionerId id{0};
  std::string discipline;  // "sexologist" | "therapist" | ...
};

struct FileFacts {
  core::ParticipantId id{0};
  participants::Status status = participants::Status::referred;
  std::string language;
  std::optional<core::LocalDate> birthDate;  // nullopt once erased by retention
  core::LocalDate referredOn;
  std::optional<core::LocalDate> decidedOn;    // eligibility recorded
  std::optional<core::LocalDate> committedOn;  // commitment signed
  std::optional<core::LocalDate> closedOn;     // completed or withdrawn
  bool decided = false;
  bool offenceInvolvedMinor = false;
  bool historyOfViolence = false;
  bool earlierParticipation = false;
  std::optional<FeeFacts> fee;
  std::vector<InstallmentFacts> installments;
  bool awarenessDayAttended = false;
  struct Session {
    core::LocalDate day;
    scheduler::SessionStatus status = scheduler::SessionStatus::scheduled;
  };
  std::vector<Session> sessions;
  std::optional<PractitionerFacts> practitioner;
};

struct ExportRow {
  std::string studyId;
  std::string referralMonth;  // YYYY-MM
  std::optional<std::int64_t> daysReferralToDecision;
  std::optional<std::int64_t> daysDecisionToCommitment;
  std::optional<std::int64_t> daysCommitmentToFirstSession;
  std::optional<std::int64_t> daysFirstSessionToEnd;
  std::string outcome;
  std::string reasonCategory;
  std::string exclusionCriteriaMet;
  std::string ageBand;
  std::string language;
  std::string feeBand;
  std::string feeStatus;
  std::int64_t installmentsPlanned = 0;
  std::optional<std::int64_t> sharePaidOnTimePercent;
  std::optional<std::int64_t> daysLate;
  bool awarenessDayAttended = false;
  std::int64_t sessionsPlanned = 0;
  std::int64_t sessionsAttended = 0;
  std::int64_t sessionsExcused = 0;
  std::int64_t sessionsNoShow = 0;
  std::int64_t sessionsLateCancelled = 0;
  std::string practitionerPseudonym;
  std::string practitionerDiscipline;
};

// The pieces, each a rule above (exposed for the unit tests).
std::string ageBandAt(std::optional<core::LocalDate> birthDate, core::LocalDate on);
std::string feeBandOf(std::int64_t owedCents);
std::string feeStatusOf(const FeeFacts& fee);
std::string outcomeOf(participants::Status status);
std::string reasonCategoryOf(const FileFacts& file, std::optional<core::LocalDate> firstSession);
std::string referralMonthOf(core::LocalDate referredOn);
std::optional<std::int64_t> daysBetween(std::optional<core::LocalDate> from, std::optional<core::LocalDate> to);

ExportRow exportRowOf(const FileFacts& file, const StudyKey& key);

// A row as cells in the dictionary's column order (research/dictionary.h):
// nullopt is an empty cell; `number` cells are integers.
struct ExportCell {
  std::optional<std::string> text;
  bool number = false;
};
std::vector<ExportCell> cellsOf(const ExportRow& row);

}  // namespace parcours::research
