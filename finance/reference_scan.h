#pragma once
// Finding references in a bank line's text — pure.
//
// A participant writes their installment reference in an e-Transfer message
// or on a cheque as they please: "P7K3Q9X-2-M", "p7k3q9x 2 m", "7K3Q9X2M".
// scanReferences looks at every run of one to four consecutive words of the
// text (words split at anything but letters, digits and dashes) and keeps:
//   - installment references that read back with a valid check character
//     (participants::readReference);
//   - participant codes: "P" followed by the six code symbols, as one word
//     ("P7K3Q9X", "P-7K3Q9X") or two ("P 7K3Q9X");
//   - references whose check character fails ("P7K3Q9X-2-Z"): the code as
//     written, and every valid reference one mistyped symbol or one swap of
//     two neighbours away from it — the reference the participant meant is
//     among them, so the matcher can tell whether the code as written is
//     the only one that could be meant;
//   - document numbers: receipts "R-2026-00012" and invoices
//     "F-2026-00012", with or without dashes ("R2026 00012").
// Each found item appears once, in order of first appearance.

#include <string>
#include <string_view>
#include <vector>

#include "participants/payment_reference.h"

namespace parcours::finance {

// A reference whose check character fails.
struct UncertainReference {
  std::string writtenCode;                          // "P-7K3Q9X", as written
  std::vector<participants::ReadReference> nearby;  // valid references one typo or swap away
  bool operator==(const UncertainReference&) const = default;
};

struct ScannedReferences {
  std::vector<participants::ReadReference> installments;
  std::vector<std::string> participantCodes;  // "P-7K3Q9X": of `installments` and bare codes
  std::vector<UncertainReference> uncertain;
  std::vector<std::string> documentNumbers;   // "R-2026-00012", "F-2026-00012"
  bool empty() const { return participantCodes.empty() && uncertain.empty() && documentNumbers.empty(); }
  // Every code a reference may name (those of `uncertain` and their nearby ones too).
  std::vector<std::string> allCodes() const;
};

ScannedReferences scanReferences(std::string_view text);

}  // namespace parcours::finance
