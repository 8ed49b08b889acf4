#include "invoices/document_numbers.h"

#include <cstdio>

#include "core/error.h"

namespace parcours::invoices {

std::string_view toString(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::invoice: return "invoice";
    case DocumentKind::credit_note: return "credit_note";
    case DocumentKind::receipt: return "receipt";
    case DocumentKind::refund_receipt: return "refund_receipt";
    case DocumentKind::attestation: return "attestation";
  }
  return "invoice";
}

std::optional<DocumentKind> documentKindFromString(std::string_view text) {
  for (const auto k : {DocumentKind::invoice, DocumentKind::credit_note, DocumentKind::receipt,
                       DocumentKind::refund_receipt, DocumentKind::attestation}) {
    if (toString(k) == text) return k;
  }
  return std::nullopt;
}

std::string_view numberPrefix(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::invoice: return "F";
    case DocumentKind::credit_note: return "NC";
    case DocumentKind::receipt: return "R";
    case DocumentKind::refund_receipt: return "RR";
    case DocumentKind::attestation: return "A";
  }
  return "F";
}

std::string formatNumber(DocumentKind kind, int year, std::int64_t sequence) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "-%04d-%05lld", year, static_cast<long long>(sequence));
  return std::string(numberPrefix(kind)) + digits;
}

std::string takeNumber(storage::Transaction& tx, DocumentKind kind, int year) {
  const std::string counter = "document:" + std::string(numberPrefix(kind)) + ":" + std::to_string(year);
  // One statement: creates the year's row at 1 or bumps it, under its row
  // lock, and returns the value this transaction now holds.
  const char* sql = tx.dialect() == storage::Dialect::sqlite
                        ? "INSERT INTO counters (name, value) VALUES (?, 1)"
                          " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
                        : "INSERT INTO counters (name, value) VALUES (?, 1)"
                          " ON DUPLICATE KEY UPDATE value = value + 1 RETURNING value";
  const std::int64_t sequence = tx.query(sql, {counter}).at(0).int64(0);
  if (sequence > 99999) {
    throw core::Error(core::ErrorCode::conflict, "the year's document numbers are used up");
  }
  return formatNumber(kind, year, sequence);
}

}  // namespace parcours::invoices
