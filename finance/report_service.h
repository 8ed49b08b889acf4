#pragma once
// ReportService — the finance reports (finance/reports.h, finance/journal.h),
// each read in one transaction: load (finance/report_store.h), add up (pure),
// and record one audit entry `report.<name>` per request whose detail names
// the period and the number of rows, never a person.
//
// Balances (aging, outstanding) are the accounts as they stand: `asOf` is
// the day from which due dates are aged, not a replay of the past.

#include "finance/journal.h"
#include "finance/report_store.h"
#include "identity/audit_log.h"
#include "participants/participant_service.h"
#include "storage/database.h"

namespace parcours::finance {

class ReportService {
 public:
  // REQUIRES: every reference outlives the service.
  ReportService(storage::Database& database, const invoices::DocumentStore& documents,
                const participants::ParticipantService& participants, const core::Clock& clock,
                const date::time_zone& programZone, int graceDays);

  core::LocalDate today() const;
  // reportRange (finance/reports.h) against today.
  ReportRange range(std::optional<core::LocalDate> from, std::optional<core::LocalDate> to) const;

  AgingReport aging(core::LocalDate asOf, const identity::AuditContext& context);
  OutstandingReport outstanding(core::LocalDate asOf, const identity::AuditContext& context);
  DepositReport deposits(const ReportRange& range, const identity::AuditContext& context);
  RevenueReport revenue(const ReportRange& range, const identity::AuditContext& context);
  TaxReport taxes(const ReportRange& range, const identity::AuditContext& context);
  ReconciliationReport reconciliation(const ReportRange& range, const identity::AuditContext& context);
  JournalReport journal(const ReportRange& range, const identity::AuditContext& context);

 private:
  // The instants bounding a range's days in the program's zone: [from, until).
  core::Instant startOf(core::LocalDate day) const;
  std::vector<LedgerLine> ledgerOf(storage::Transaction& tx, const ReportRange& range) const;
  void audit(storage::Transaction& tx, const identity::AuditContext& context, const std::string& report,
             const std::string& period, std::size_t rows) const;

  storage::Database& database_;
  const participants::ParticipantService& participants_;
  const core::Clock& clock_;
  const date::time_zone& zone_;
  int graceDays_;
  ReportStore store_;
  DepositStore deposits_;
};

}  // namespace parcours::finance
