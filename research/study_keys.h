#pragma once
// Study keys and the pseudonyms made with them (pure).
//
// Each research study has its own 32-byte random key, made and kept by the
// daemon (sealed at rest with the field cipher) and never shown. Under it:
//   - the study id of a file    = the first 24 hex characters (96 bits) of
//     HMAC-SHA256(key, "participant:" + decimal participant id);
//   - a practitioner's pseudonym = the first 16 hex characters (64 bits) of
//     HMAC-SHA256(key, "practitioner:" + decimal practitioner id).
// The same key gives the same ids in every export of one study (exports
// link); another study's key gives unrelated ids (studies don't). The
// prefixes keep a participant's id and a practitioner's from ever sharing a
// pseudonym. Without the key, an id says nothing about the file.

#include <string>

#include "core/id.h"
#include "identity/keyed_hash.h"

namespace parcours::research {

inline constexpr std::size_t kStudyKeyBytes = 32;
inline constexpr std::size_t kStudyIdHexChars = 24;
inline constexpr std::size_t kPractitionerPseudonymHexChars = 16;

class StudyKey {
 public:
  // REQUIRES: 32 raw bytes (throws core::Error(bad_request) otherwise).
  explicit StudyKey(std::string rawKey);

  std::string studyIdOf(core::ParticipantId participant) const;
  std::string pseudonymOf(core::PractitionerId practitioner) const;

 private:
  identity::KeyedHasher hasher_;
};

}  // namespace parcours::research
