#pragma once
// The content of an attestation of completion (A-YYYY-NNNNN), issued when a
// participant completes the program, for the prosecutor — pure.

#include <optional>
#include <string>

#include "core/time.h"

namespace parcours::invoices {

struct AttestationFacts {
  std::string code;
  std::string givenName;
  std::string familyName;
  std::optional<std::string> address;
  std::string language;  // "fr" or "en"
  core::LocalDate referredOn;
  core::LocalDate completedOn;
  int sessionsAttended = 0;
  std::optional<core::LocalDate> awarenessDayOn;
};

// The JSON stored as the document's content (see document_layouts for how
// it is printed).
std::string attestationContent(const AttestationFacts& facts);

}  // namespace parcours::invoices
