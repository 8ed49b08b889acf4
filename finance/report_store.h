#pragma once
// ReportStore — the SQL the finance reports read (finance/reports.h): the
// ledger, installments, payments and where they stand at the bank, bank
// lines without their sealed details, and invoices and credit notes with
// their taxes. Rows in, typed values out; no rules here. Reports read
// across billing's and finance's tables by design: they add those up.
// Every method runs inside the caller's transaction.

#include <vector>

#include "finance/reports.h"
#include "invoices/document_store.h"
#include "storage/database.h"

namespace parcours::finance {

class ReportStore {
 public:
  // REQUIRES: documents outlives the store.
  explicit ReportStore(const invoices::DocumentStore& documents) : documents_(documents) {}

  // Every account: its ledger totals and its live (not replaced)
  // installments, in participant order (code and name left empty).
  std::vector<AccountBalance> balances(storage::Transaction& tx) const;
  // Ledger entries created in [from, until), in order of entry.
  std::vector<LedgerLine> ledger(storage::Transaction& tx, core::Instant from, core::Instant until) const;
  // Payments received in [from, to], with their deposit and whether the bank has seen them.
  std::vector<PaymentLine> payments(storage::Transaction& tx, core::LocalDate from, core::LocalDate to) const;
  // Bank lines booked in [from, to].
  std::vector<BankLineSummary> bankLines(storage::Transaction& tx, core::LocalDate from, core::LocalDate to) const;
  // Invoices and credit notes issued before `until`, as their contents say.
  std::vector<TaxDocument> taxDocuments(storage::Transaction& tx, core::Instant until) const;

 private:
  const invoices::DocumentStore& documents_;
};

}  // namespace parcours::finance
