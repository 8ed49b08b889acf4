#include "invoices/attestation.h"

#include "core/error.h"

namespace parcours::invoices {

std::string attestationContent(const AttestationFacts& facts) {
  using core::jsonQuote;
  return "{\"participant\":{\"code\":" + jsonQuote(facts.code) + ",\"given_name\":" + jsonQuote(facts.givenName) +
         ",\"family_name\":" + jsonQuote(facts.familyName) +
         ",\"address\":" + (facts.address ? jsonQuote(*facts.address) : std::string("null")) +
         ",\"language\":" + jsonQuote(facts.language) +
         "},\"referred_on\":" + jsonQuote(core::formatDate(facts.referredOn)) +
         ",\"completed_on\":" + jsonQuote(core::formatDate(facts.completedOn)) +
         ",\"sessions_attended\":" + std::to_string(facts.sessionsAttended) + ",\"awareness_day_on\":" +
         (facts.awarenessDayOn ? jsonQuote(core::formatDate(*facts.awarenessDayOn)) : std::string("null")) + "}";
}

}  // namespace parcours::invoices
