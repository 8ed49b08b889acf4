#pragma once
// The words of a bank line's description that may name its payer — pure.
//
// Banks put the payer's name and their message together ("E-TRANSFER
// DEPOSIT JEAN TREMBLAY merci P7K3Q9X-2-M"), so a payer is recognised by
// pairs of consecutive words: the description is folded
// (identity::normalizeForMatching), words holding a digit and the words of
// banking and politeness ("virement", "interac", "deposit", "merci", ...)
// are dropped, and each pair of the first five words left is one name key.
// The keys are hashed with the daemon's digest key before they are stored
// or compared: a payer's name is never stored in clear.

#include <string>
#include <string_view>
#include <vector>

namespace parcours::finance {

// The candidate name pairs ("jean tremblay"), in order, without repeats.
// Empty for a description without two such words or not in UTF-8.
std::vector<std::string> payerNamePairs(std::string_view description);

}  // namespace parcours::finance
