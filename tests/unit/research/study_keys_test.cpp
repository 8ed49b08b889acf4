#include "research/study_keys.h"

#include <catch2/catch.hpp>

#include <set>

#include "core/error.h"

using namespace parcours;
using namespace parcours::research;

namespace {
StudyKey keyOf(char fill) {
  return StudyKey(std::string(kStudyKeyBytes, fill));
}
}  // namespace

TEST_CASE("a study id is 24 hex characters, stable under one key") {
  const auto key = keyOf('a');
  const auto id = key.studyIdOf(core::ParticipantId(42));
  CHECK(id.size() == kStudyIdHexChars);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(keyOf('a').studyIdOf(core::ParticipantId(42)) == id);
  CHECK(key.studyIdOf(core::ParticipantId(43)) != id);
}

TEST_CASE("two studies give disjoint ids for the same files") {
  std::set<std::string> first, second;
  for (std::int64_t i = 1; i <= 500; ++i) {
    first.insert(keyOf('a').studyIdOf(core::ParticipantId(i)));
    second.insert(keyOf('b').studyIdOf(core::ParticipantId(i)));
  }
  CHECK(first.size() == 500);
  for (const auto& id : second) CHECK(first.count(id) == 0);
}

TEST_CASE("a practitioner's pseudonym differs from the participant id of the same number") {
  const auto key = keyOf('c');
  const auto pseudonym = key.pseudonymOf(core::PractitionerId(7));
  CHECK(pseudonym.size() == kPractitionerPseudonymHexChars);
  CHECK(key.studyIdOf(core::ParticipantId(7)).substr(0, kPractitionerPseudonymHexChars) != pseudonym);
  CHECK(keyOf('d').pseudonymOf(core::PractitionerId(7)) != pseudonym);
}

TEST_CASE("a key of another length is refused") {
  CHECK_THROWS_AS(StudyKey(std::string(16, 'x')), core::Error);
}
