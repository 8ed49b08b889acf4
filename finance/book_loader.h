#pragma once
// Loading a MatchingBook (finance/matching.h) for a set of bank lines: only
// what those lines can match — the accounts their references or learned
// payer names point to, the invoices they name, the payments recorded by
// hand and the deposits dated near them. The cost follows the lines, not
// the number of open accounts. Runs inside the caller's transaction.

#include <set>
#include <string>
#include <vector>

#include "finance/matching.h"
#include "storage/database.h"

namespace parcours::finance {

struct BookRequest {
  std::set<std::string> participantCodes;  // found in the lines
  std::set<std::string> documentNumbers;   // found in the lines
  std::set<std::string> aliasKeys;         // payer name keys of the lines
  core::LocalDate earliest, latest;        // the lines' dates
};

MatchingBook loadBook(storage::Transaction& tx, const BookRequest& request);

}  // namespace parcours::finance
