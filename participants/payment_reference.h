#pragma once
// Payment references: the short text a participant writes in an e-Transfer
// message or on a cheque so that a bank line finds its installment.
// Billing prints it (statements, reminders) and finance reads it back; it
// lives here, under both, as it needs only the participant code alphabet.
//
//   P7K3Q9X-2-M   =  "P" + participant code without its dash
//                   + "-" + installment number (decimal, no leading zero)
//                   + "-" + one check character
//
// The check character. Every symbol of the body is given a value: a code
// symbol its index in kCodeAlphabet (pseudonym.h, 0..29); an installment
// digit 2..9 the index of the same symbol in that alphabet (so a digit means
// the same whether it sits in the code or in the number), the digit 0 the
// value 30 and the digit 1 the value 29 (distinct from every other digit).
// With weights 1, 2, 1, 2, ... from the left over the body and the check,
// the check value c makes the weighted sum ≡ 0 (mod 31). The check
// character is kCheckAlphabet[c]: the 30 code symbols plus "U" for c = 30.
//
// Why mod 31 and not Luhn mod 30: 31 is prime, so a single substitution
// changes the sum by (a − b)·w with a ≠ b mod 31 and w ∈ {1, 2} — never 0;
// swapping two adjacent symbols changes it by ±(a − b) — never 0. Luhn mod 30
// misses the swap of the symbols of values 0 and 29 ("2Z" ↔ "Z2"), and no
// check of that form over 30 values catches every swap (a cyclic group of
// even order has no complete mapping). The price is one more check symbol,
// "U", which the code alphabet left out only to keep words rarer.
// Every single mistyped symbol and every swap of two adjacent symbols
// (dashes ignored) yields text that readReference refuses.

#include <optional>
#include <string>
#include <string_view>

namespace parcours::participants {

inline constexpr std::string_view kCheckAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZU";

struct ReadReference {
  std::string participantCode;  // "P-7K3Q9X"
  int installmentSeq = 0;       // ≥ 1
  bool operator==(const ReadReference&) const = default;
};

// The printed reference of installment `installmentSeq` (≥ 1) of the
// participant with code `participantCode` ("P-7K3Q9X", as
// isParticipantCode accepts). Throws core::Error(internal) on
// a malformed code or a seq outside 1..999999 (a programming error, not user input).
std::string makeReference(std::string_view participantCode, int installmentSeq);

// Reads a reference as a person may have typed it: any case, spaces and
// dashes anywhere, the "P"/"P-" prefix optional. nullopt when the text is
// not a reference or its check character fails. Without dashes, a text that
// reads both with and without a leading "P" as a valid reference is
// ambiguous and refused.
std::optional<ReadReference> readReference(std::string_view text);

}  // namespace parcours::participants
