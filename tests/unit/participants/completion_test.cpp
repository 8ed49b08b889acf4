#include <catch2/catch.hpp>

#include "participants/completion.h"

using namespace parcours::participants;

TEST_CASE("a participant who did everything and paid may complete", "[completion]") {
  CompletionFacts facts{.awarenessDayAttended = true, .sessionsAttended = 8, .balanceCents = 0};
  CHECK(unmetCompletionCriteria(facts).empty());
  facts.balanceCents = -500;  // a credit is settled too
  CHECK(unmetCompletionCriteria(facts).empty());
}

TEST_CASE("each missing criterion is named", "[completion]") {
  CompletionFacts facts;
  facts.balanceCents = 100;
  facts.sessionsMissed = 1;
  facts.sessionsPending = 2;
  CHECK(unmetCompletionCriteria(facts) ==
        std::vector<std::string>{"awareness_day", "therapy_sessions", "missed_sessions", "pending_sessions", "fee"});
  facts = CompletionFacts{.awarenessDayAttended = true, .sessionsAttended = 3, .sessionsMissed = 1};
  CHECK(unmetCompletionCriteria(facts) == std::vector<std::string>{"missed_sessions"});
}
