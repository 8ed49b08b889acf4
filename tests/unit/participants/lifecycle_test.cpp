#include "participants/lifecycle.h"

#include <string>

#include <catch2/catch.hpp>

#include "core/error.h"

using parcours::core::Error;
using parcours::core::ErrorCode;
using parcours::core::jsonQuote;
using namespace parcours::participants;

namespace {

const Status kAllStatuses[] = {Status::referred,   Status::eligible,  Status::ineligible, Status::enrolled,
                               Status::in_therapy, Status::completed, Status::withdrawn};
const Transition kAllTransitions[] = {Transition::decide_eligible, Transition::decide_ineligible, Transition::enrol,
                                      Transition::start_therapy,   Transition::complete,          Transition::withdraw};

// docs/domain.md's lifecycle, written out in full: every pair not listed is illegal.
struct Legal {
  Status from;
  Transition transition;
  Status to;
};
constexpr Legal kLegal[] = {
    {Status::referred, Transition::decide_eligible, Status::eligible},
    {Status::referred, Transition::decide_ineligible, Status::ineligible},
    {Status::eligible, Transition::enrol, Status::enrolled},
    {Status::enrolled, Transition::start_therapy, Status::in_therapy},
    {Status::in_therapy, Transition::complete, Status::completed},
    {Status::referred, Transition::withdraw, Status::withdrawn},
    {Status::eligible, Transition::withdraw, Status::withdrawn},
    {Status::enrolled, Transition::withdraw, Status::withdrawn},
    {Status::in_therapy, Transition::withdraw, Status::withdrawn},
};

bool isLegal(Status from, Transition transition) {
  for (const Legal& legal : kLegal) {
    if (legal.from == from && legal.transition == transition) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("status names round-trip and unknown names are refused", "[lifecycle]") {
  for (const Status status : kAllStatuses) {
    CAPTURE(toString(status));
    CHECK(statusFromString(toString(status)) == status);
  }
  CHECK(toString(Status::in_therapy) == "in_therapy");
  CHECK_FALSE(statusFromString("Referred").has_value());
  CHECK_FALSE(statusFromString("").has_value());
  CHECK_FALSE(statusFromString("in-therapy").has_value());
}

TEST_CASE("ineligible, completed and withdrawn are the final statuses", "[lifecycle]") {
  CHECK_FALSE(isFinal(Status::referred));
  CHECK_FALSE(isFinal(Status::eligible));
  CHECK(isFinal(Status::ineligible));
  CHECK_FALSE(isFinal(Status::enrolled));
  CHECK_FALSE(isFinal(Status::in_therapy));
  CHECK(isFinal(Status::completed));
  CHECK(isFinal(Status::withdrawn));
}

TEST_CASE("every legal transition leads where docs/domain.md says", "[lifecycle]") {
  for (const Legal& legal : kLegal) {
    CAPTURE(toString(legal.from), toString(legal.transition));
    CHECK(apply(legal.from, legal.transition) == legal.to);
    CHECK(nextStatus(legal.from, legal.transition) == legal.to);
  }
}

TEST_CASE("every illegal transition is a 409 naming the current status", "[lifecycle]") {
  int illegal = 0;
  for (const Status status : kAllStatuses) {
    for (const Transition transition : kAllTransitions) {
      if (isLegal(status, transition)) continue;
      ++illegal;
      CAPTURE(toString(status), toString(transition));
      CHECK_FALSE(nextStatus(status, transition).has_value());
      try {
        (void)apply(status, transition);
        FAIL("no error thrown");
      } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::conflict);
        CHECK(parcours::core::httpStatus(e.code()) == 409);
        REQUIRE(e.members().count("current_status") == 1);
        CHECK(e.members().at("current_status") == jsonQuote(toString(status)));
        const std::string message = e.what();
        CHECK(message.rfind("cannot ", 0) == 0);
        CHECK(message.find("a participant who is " + std::string(toString(status))) != std::string::npos);
      }
    }
  }
  CHECK(illegal == 7 * 6 - 9);
}

TEST_CASE("withdraw works from each non-final status and never from a final one", "[lifecycle]") {
  for (const Status status : kAllStatuses) {
    CAPTURE(toString(status));
    if (isFinal(status)) {
      CHECK_THROWS_AS(apply(status, Transition::withdraw), Error);
    } else {
      CHECK(apply(status, Transition::withdraw) == Status::withdrawn);
    }
  }
}

TEST_CASE("the whole happy path, and the messages of typical mistakes", "[lifecycle]") {
  Status s = Status::referred;
  s = apply(s, Transition::decide_eligible);
  s = apply(s, Transition::enrol);
  s = apply(s, Transition::start_therapy);
  s = apply(s, Transition::complete);
  CHECK(s == Status::completed);

  CHECK_THROWS_WITH(apply(Status::referred, Transition::enrol), "cannot enrol a participant who is referred");
  CHECK_THROWS_WITH(apply(Status::completed, Transition::withdraw), "cannot withdraw a participant who is completed");
  // Completion needs the therapy: not from enrolled.
  CHECK_THROWS_WITH(apply(Status::enrolled, Transition::complete),
                    "cannot complete the program of a participant who is enrolled");
  // The eligibility decision is taken once.
  CHECK_THROWS_WITH(apply(Status::eligible, Transition::decide_ineligible),
                    "cannot declare ineligible a participant who is eligible");
}

TEST_CASE("transition names", "[lifecycle]") {
  CHECK(toString(Transition::decide_eligible) == "decide_eligible");
  CHECK(toString(Transition::decide_ineligible) == "decide_ineligible");
  CHECK(toString(Transition::enrol) == "enrol");
  CHECK(toString(Transition::start_therapy) == "start_therapy");
  CHECK(toString(Transition::complete) == "complete");
  CHECK(toString(Transition::withdraw) == "withdraw");
}
