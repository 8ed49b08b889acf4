#pragma once
// Validation of what a coordinator enters: the referral that opens a
// participant's file, and the signed commitment that enrols them. Raw
// strings in, value types out, with an error per offending field.
//
// One rule for error codes: the HTTP layer answers 400 for what never
// reaches these functions (malformed JSON, a field of the wrong JSON type);
// every problem with a field's value — missing, too long, not UTF-8, a
// malformed or impossible date, an unknown enum value, a date out of range —
// is 422. All of them are collected into one core::Error(unprocessable)
// whose fieldErrors() name each field with the API's name, so a form can
// show every problem at once. Messages never echo the submitted value (it
// may be personal data, or 10 000 characters long).
//
// Strings are trimmed of surrounding ASCII whitespace first; an optional
// field that is absent or blank counts as absent.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace parcours::participants {

// The fields of POST /api/v1/participants as received, before any check.
struct ReferralInput {
  std::optional<std::string> givenName;   // given_name
  std::optional<std::string> familyName;  // family_name
  std::optional<std::string> birthDate;   // birth_date
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> address;
  std::optional<std::string> language;
  // From the nested "referral" object.
  std::optional<std::string> source;      // referral.source
  std::optional<std::string> reference;   // referral.reference
  std::optional<std::string> referredOn;  // referral.referred_on
  std::optional<std::string> offenceOn;   // referral.offence_on
};

// A checked referral. Every string is valid UTF-8, trimmed, free of control
// characters (the address may hold line feeds).
struct Referral {
  std::string givenName, familyName;
  core::LocalDate birthDate;
  std::optional<std::string> email, phone, address;
  std::string language;   // "fr" or "en"
  std::string source;     // "DPCP" unless given
  std::string reference;  // the prosecutor's file reference
  core::LocalDate referredOn;
  std::optional<core::LocalDate> offenceOn;
};

// Rules (field: rule):
// - given_name, family_name: required, 1..100 characters (code points).
// - birth_date: required date; not in the future; the person is 16 to 120
//   years old on referral.referred_on (checked once that date is valid).
// - email: optional; at most 254 bytes; one '@' between a non-empty local
//   part (at most 64 bytes) and a dotted domain; no spaces, controls or
//   ( ) < > [ ] : ; , " \.
// - phone: optional; at most 32 characters of digits, spaces and + - ( ) .,
//   with at least 7 digits.
// - address: optional; at most 500 characters; line feeds allowed (CRLF is
//   stored as LF), no other control characters.
// - language: "fr" (the default) or "en", exactly.
// - referral.source: default "DPCP"; at most 50 characters.
// - referral.reference: required, 1..100 characters.
// - referral.referred_on: required date, not after `today`.
// - referral.offence_on: optional date, not after referred_on (nor `today`).
// Dates are "YYYY-MM-DD", a real calendar date, years 0001..9999.
// Any other text is accepted as is: quotes, semicolons and the like are
// just characters here; making them harmless is the store's job.
// Throws core::Error(unprocessable) listing every offending field.
Referral validateReferral(const ReferralInput& in, core::LocalDate today);

// The signature methods a commitment may record.
inline constexpr std::array<std::string_view, 3> kCommitmentMethods{"paper", "electronic", "in_person"};

struct Commitment {
  bool acknowledgedResponsibility = false;  // always true once validated
  core::LocalDate signedOn;
  std::string method;  // one of kCommitmentMethods
};

// Rules: acknowledged_responsibility must be true; signed_on a required date,
// not after `today` and not before `referredOn`; method one of
// kCommitmentMethods, exactly.
// Throws core::Error(unprocessable) listing every offending field.
Commitment validateCommitment(std::optional<bool> acknowledged, const std::optional<std::string>& signedOn,
                              const std::optional<std::string>& method, core::LocalDate today,
                              core::LocalDate referredOn);

}  // namespace parcours::participants
