#include "finance/report_service.h"

#include <map>

namespace parcours::finance {

namespace {

std::string periodOf(const ReportRange& range) {
  return core::formatDate(range.from) + ".." + core::formatDate(range.to);
}

}  // namespace

ReportService::ReportService(storage::Database& database, const invoices::DocumentStore& documents,
                             const participants::ParticipantService& participants, const core::Clock& clock,
                             const date::time_zone& programZone, int graceDays)
    : database_(database),
      participants_(participants),
      clock_(clock),
      zone_(programZone),
      graceDays_(graceDays),
      store_(documents) {}

core::LocalDate ReportService::today() const {
  return core::localDateOf(clock_.now(), zone_);
}

ReportRange ReportService::range(std::optional<core::LocalDate> from, std::optional<core::LocalDate> to) const {
  return reportRange(from, to, today());
}

core::Instant ReportService::startOf(core::LocalDate day) const {
  // Midnight exists in the program's zone (Québec changes time at 2:00).
  return core::requireInstant(day, core::LocalTime{0}, zone_);
}

std::vector<LedgerLine> ReportService::ledgerOf(storage::Transaction& tx, const ReportRange& range) const {
  return store_.ledger(tx, startOf(range.from), startOf(range.to + date::days{1}));
}

void ReportService::audit(storage::Transaction& tx, const identity::AuditContext& context, const std::string& report,
                          const std::string& period, std::size_t rows) const {
  identity::recordAudit(tx,
                        {context.actorUserId, "report." + report, "report", report, context.requestId,
                         period + " rows=" + std::to_string(rows)},
                        clock_.now());
}

AgingReport ReportService::aging(core::LocalDate asOf, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    auto accounts = store_.balances(tx);
    for (auto& a : accounts) {
      if (a.totals.balance() != 0) a.code = participants_.summaryIn(tx, a.participant).code;
    }
    auto report = agingReport(accounts, asOf);
    audit(tx, context, "aging", "as_of=" + core::formatDate(asOf), report.rows.size());
    return report;
  });
}

OutstandingReport ReportService::outstanding(core::LocalDate asOf, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    auto accounts = store_.balances(tx);
    for (auto& a : accounts) {
      if (a.totals.balance() <= 0) continue;
      const auto person = participants_.detailsIn(tx, a.participant);
      a.code = person.code;
      a.name = person.givenName + " " + person.familyName;
    }
    auto report = outstandingReport(accounts, asOf, graceDays_);
    audit(tx, context, "outstanding", "as_of=" + core::formatDate(asOf), report.rows.size());
    return report;
  });
}

DepositReport ReportService::deposits(const ReportRange& range, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    std::vector<PaymentLine> undeposited;
    for (const auto& p : store_.payments(tx, range.from, range.to)) {
      if (!p.deposit) undeposited.push_back(p);
    }
    auto report = depositReport(undeposited, deposits_.list(tx, range.from, range.to));
    audit(tx, context, "deposits", periodOf(range), report.rows.size());
    return report;
  });
}

RevenueReport ReportService::revenue(const ReportRange& range, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    auto report = revenueReport(ledgerOf(tx, range), range, zone_);
    audit(tx, context, "revenue", periodOf(range), report.rows.size());
    return report;
  });
}

TaxReport ReportService::taxes(const ReportRange& range, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const auto from = startOf(range.from);
    const auto accountDocuments = store_.taxDocuments(tx, startOf(range.to + date::days{1}));
    std::vector<TaxDocument> inRange;
    for (const auto& d : accountDocuments) {
      if (d.issuedAt >= from) inRange.push_back(d);
    }
    auto report = taxReport(inRange, accountDocuments, ledgerOf(tx, range), range, zone_);
    audit(tx, context, "taxes", periodOf(range), report.rows.size());
    return report;
  });
}

ReconciliationReport ReportService::reconciliation(const ReportRange& range, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    auto report =
        reconciliationReport(store_.bankLines(tx, range.from, range.to), store_.payments(tx, range.from, range.to));
    audit(tx, context, "reconciliation", periodOf(range), report.rows.size());
    return report;
  });
}

JournalReport ReportService::journal(const ReportRange& range, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    std::map<std::string, TaxDocument> taxes;
    for (auto& d : store_.taxDocuments(tx, startOf(range.to + date::days{1}))) taxes.emplace(d.number, std::move(d));
    std::vector<BankLineSummary> bankFees;
    for (const auto& l : store_.bankLines(tx, range.from, range.to)) {
      if (l.status == LineStatus::ignored && l.ignoreKind == "bank_fee") bankFees.push_back(l);
    }
    auto report = journalReport(ledgerOf(tx, range), taxes, deposits_.list(tx, range.from, range.to), bankFees, zone_);
    audit(tx, context, "journal", periodOf(range), report.rows.size());
    return report;
  });
}

}  // namespace parcours::finance
