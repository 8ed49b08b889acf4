#pragma once
// Gapless document numbers (docs/domain.md "Money" → "Documents and numbering"): F-2027-00001,
// NC-…, R-…, RR-…, A-…, per calendar year of issue in the program's zone.
//
// A number is taken by bumping the year's row in `counters` inside the
// transaction that issues the document: a rollback gives the number back,
// and the row lock makes concurrent issuers wait for each other, so numbers
// are never skipped, never duplicated and never reused.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace parcours::invoices {

enum class DocumentKind { invoice, credit_note, receipt, refund_receipt, attestation };

std::string_view toString(DocumentKind kind);
std::optional<DocumentKind> documentKindFromString(std::string_view text);
// "F", "NC", "R", "RR", "A".
std::string_view numberPrefix(DocumentKind kind);

// "F-2027-00042". REQUIRES: 1 <= sequence <= 99999, year in 1000..9999.
std::string formatNumber(DocumentKind kind, int year, std::int64_t sequence);

// The next number of `kind` in `year`, taken inside `tx`. Throws
// core::Error(conflict) once a year's 99 999 numbers are used.
std::string takeNumber(storage::Transaction& tx, DocumentKind kind, int year);

}  // namespace parcours::invoices
