#include "research/study_keys.h"

namespace parcours::research {

StudyKey::StudyKey(std::string rawKey) : hasher_(std::move(rawKey)) {}

std::string StudyKey::studyIdOf(core::ParticipantId participant) const {
  return hasher_.hash("participant:" + participant.toString()).substr(0, kStudyIdHexChars);
}

std::string StudyKey::pseudonymOf(core::PractitionerId practitioner) const {
  return hasher_.hash("practitioner:" + practitioner.toString()).substr(0, kPractitionerPseudonymHexChars);
}

}  // namespace parcours::research
