#include "research/export_rows.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "research/dictionary.h"

using namespace parcours;
using namespace parcours::research;
using participants::Status;
using scheduler::SessionStatus;

namespace {

core::LocalDate day(int y, unsigned m, unsigned d) {
  return core::LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

const StudyKey& key() {
  static const StudyKey k(std::string(kStudyKeyBytes, 'k'));
  return k;
}

// A file that went the whole way: referred 2027-01-10, decided 01-20,
// committed 01-25, first session 02-01, completed 03-15.
FileFacts completedFile() {
  FileFacts f;
  f.id = core::ParticipantId(17);
  f.status = Status::completed;
  f.language = "fr";
  f.birthDate = day(1990, 6, 15);
  f.referredOn = day(2027, 1, 10);
  f.decidedOn = day(2027, 1, 20);
  f.committedOn = day(2027, 1, 25);
  f.closedOn = day(2027, 3, 15);
  f.decided = true;
  f.fee = FeeFacts{50000, 50000};
  f.awarenessDayAttended = true;
  f.sessions = {{day(2027, 2, 8), SessionStatus::attended},
                {day(2027, 2, 1), SessionStatus::attended},
                {day(2027, 2, 15), SessionStatus::excused},
                {day(2027, 2, 22), SessionStatus::cancelled}};
  f.practitioner = PractitionerFacts{core::PractitionerId(3), "sexologist"};
  return f;
}

}  // namespace

TEST_CASE("age bands at the referral date, birthday included") {
  const auto referred = day(2027, 3, 1);
  CHECK(ageBandAt(day(2009, 3, 1), referred) == "18-24");  // 18 that day
  CHECK(ageBandAt(day(2009, 3, 2), referred) == "under_18");
  CHECK(ageBandAt(day(2002, 3, 2), referred) == "18-24");  // 24, 25 tomorrow
  CHECK(ageBandAt(day(2002, 3, 1), referred) == "25-34");
  CHECK(ageBandAt(day(1992, 3, 1), referred) == "35-44");
  CHECK(ageBandAt(day(1982, 3, 1), referred) == "45-54");
  CHECK(ageBandAt(day(1972, 3, 1), referred) == "55-64");
  CHECK(ageBandAt(day(1962, 3, 2), referred) == "55-64");
  CHECK(ageBandAt(day(1962, 3, 1), referred) == "65+");
  CHECK(ageBandAt(day(2000, 2, 29), day(2018, 2, 28)) == "under_18");  // a leap-day birthday
  CHECK(ageBandAt(std::nullopt, referred) == "unknown");
}

TEST_CASE("fee bands in dollars of the fee owed, and its status") {
  CHECK(feeBandOf(0) == "0");
  CHECK(feeBandOf(1) == "1-249");
  CHECK(feeBandOf(24999) == "1-249");
  CHECK(feeBandOf(25000) == "250-499");
  CHECK(feeBandOf(50000) == "500-749");
  CHECK(feeBandOf(99999) == "750-999");
  CHECK(feeBandOf(100000) == "1000+");
  CHECK(feeStatusOf({50000, 50000}) == "full");
  CHECK(feeStatusOf({50000, 20000}) == "reduced");
  CHECK(feeStatusOf({50000, 0}) == "waived");
}

TEST_CASE("intervals are whole days between the steps, empty when a step is missing") {
  const auto row = exportRowOf(completedFile(), key());
  CHECK(row.referralMonth == "2027-01");
  CHECK(row.daysReferralToDecision == 10);
  CHECK(row.daysDecisionToCommitment == 5);
  CHECK(row.daysCommitmentToFirstSession == 7);  // the earliest attended session, not the first listed
  CHECK(row.daysFirstSessionToEnd == 42);
  CHECK(daysBetween(day(2027, 1, 1), std::nullopt) == std::nullopt);
  CHECK(daysBetween(std::nullopt, day(2027, 1, 1)) == std::nullopt);
  CHECK(daysBetween(day(2027, 3, 13), day(2027, 3, 15)) == 2);  // across the change to daylight time
}

TEST_CASE("outcomes and their reason categories") {
  FileFacts f = completedFile();
  CHECK(outcomeOf(Status::completed) == "completed");
  CHECK(reasonCategoryOf(f, day(2027, 2, 1)) == "criteria_met");
  for (const auto open : {Status::referred, Status::eligible, Status::enrolled, Status::in_therapy}) {
    f.status = open;
    CHECK(outcomeOf(open) == "in_progress");
    CHECK(reasonCategoryOf(f, std::nullopt).empty());
  }
  f.status = Status::ineligible;
  CHECK(outcomeOf(f.status) == "ineligible");
  CHECK(reasonCategoryOf(f, std::nullopt) == "prosecutor_decision");
  f.earlierParticipation = true;
  CHECK(reasonCategoryOf(f, std::nullopt) == "exclusion_criteria");
  f.status = Status::withdrawn;
  CHECK(reasonCategoryOf(f, day(2027, 2, 1)) == "during_therapy");
  CHECK(reasonCategoryOf(f, std::nullopt) == "before_first_session");
  f.committedOn.reset();
  CHECK(reasonCategoryOf(f, std::nullopt) == "before_commitment");
}

TEST_CASE("exclusion criteria - empty before a decision, none, or the criteria met") {
  FileFacts f = completedFile();
  CHECK(exportRowOf(f, key()).exclusionCriteriaMet == "none");
  f.offenceInvolvedMinor = true;
  f.earlierParticipation = true;
  CHECK(exportRowOf(f, key()).exclusionCriteriaMet == "offence_involved_minor;earlier_participation");
  f.decided = false;
  CHECK(exportRowOf(f, key()).exclusionCriteriaMet.empty());
}

TEST_CASE("sessions are counted by status - cancellations with notice are not planned") {
  FileFacts f = completedFile();
  f.sessions.push_back({day(2027, 3, 1), SessionStatus::no_show});
  f.sessions.push_back({day(2027, 3, 8), SessionStatus::late_cancelled});
  f.sessions.push_back({day(2027, 3, 9), SessionStatus::scheduled});
  const auto row = exportRowOf(f, key());
  CHECK(row.sessionsPlanned == 6);
  CHECK(row.sessionsAttended == 2);
  CHECK(row.sessionsExcused == 1);
  CHECK(row.sessionsNoShow == 1);
  CHECK(row.sessionsLateCancelled == 1);
  CHECK(row.practitionerPseudonym == key().pseudonymOf(core::PractitionerId(3)));
  CHECK(row.practitionerDiscipline == "sexologist");
  CHECK(row.awarenessDayAttended);
}

TEST_CASE("payments - share paid on time and the most days late") {
  FileFacts f = completedFile();
  CHECK_FALSE(exportRowOf(f, key()).sharePaidOnTimePercent.has_value());  // no plan
  f.installments = {
      {day(2027, 2, 1), 20000, {{day(2027, 1, 30), 20000}}},  // on time
      {day(2027, 3, 1),
       20000,
       {{day(2027, 3, 1), 5000}, {day(2027, 3, 11), 15000}}},  // a quarter on time, 10 days late
      {day(2027, 4, 1), 10000, {}},                            // unpaid: not in days late
  };
  const auto row = exportRowOf(f, key());
  CHECK(row.installmentsPlanned == 3);
  CHECK(row.sharePaidOnTimePercent == 50);  // 25 000 of 50 000
  CHECK(row.daysLate == 10);
  f.installments = {
      {day(2027, 2, 1), 30000, {{day(2027, 1, 2), 10000}, {day(2027, 1, 3), 10000}, {day(2027, 1, 4), 10001}}}};
  CHECK(exportRowOf(f, key()).sharePaidOnTimePercent == 100);
  CHECK(exportRowOf(f, key()).daysLate == 0);
}

TEST_CASE("a row has one cell per dictionary column and holds no date") {
  FileFacts f = completedFile();
  const auto cells = cellsOf(exportRowOf(f, key()));
  REQUIRE(cells.size() == exportColumns().size());
  CHECK(exportColumns().front().name == "study_id");
  CHECK(*cells[0].text == key().studyIdOf(f.id));
  for (const auto& cell : cells) {
    if (!cell.text) continue;
    // No YYYY-MM-DD anywhere: the month is the only calendar value.
    CHECK(cell.text->find("2027-01-10") == std::string::npos);
    CHECK(cell.text->find("1990") == std::string::npos);
  }
  CHECK(*cells[1].text == "2027-01");
}

TEST_CASE("every categorical value a row can hold is listed in the dictionary") {
  FileFacts f = completedFile();
  for (const auto status : {Status::completed, Status::withdrawn, Status::ineligible, Status::referred}) {
    f.status = status;
    const auto cells = cellsOf(exportRowOf(f, key()));
    const auto& columns = exportColumns();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].allowedValues.empty() || !cells[i].text) continue;
      std::string value = *cells[i].text;
      std::size_t start = 0;
      while (start <= value.size()) {  // a list joined by ';'
        const auto end = value.find(';', start);
        const auto part = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        const auto& allowed = columns[i].allowedValues;
        CHECK(std::find(allowed.begin(), allowed.end(), part) != allowed.end());
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
  }
}
