#include "finance/report_store.h"

#include <map>

#include "invoices/document_contents.h"

namespace parcours::finance {

namespace {

constexpr int kDocumentPage = 500;

TaxDocument taxDocumentOf(const invoices::DocumentView& d) {
  const auto content = invoices::invoiceContentFromJson(d.contentJson, d.total.currency());
  TaxDocument tax;
  tax.number = d.number;
  tax.participant = d.participantId;
  tax.creditNote = d.kind == invoices::DocumentKind::credit_note;
  tax.issuedAt = d.issuedAt;
  for (const auto& line : content.lines) {
    (line.taxCode == "gst_qst" ? tax.taxableCents : tax.exemptCents) += line.amount.cents();
  }
  tax.gstCents = content.gst.cents();
  tax.qstCents = content.qst.cents();
  tax.totalCents = content.total.cents();
  return tax;
}

}  // namespace

std::vector<AccountBalance> ReportStore::balances(storage::Transaction& tx) const {
  std::map<core::ParticipantId, AccountBalance> accounts;
  for (const auto& row : tx.query("SELECT participant_id FROM accounts")) {
    const auto participant = row.id<core::ParticipantTag>(0);
    accounts[participant].participant = participant;
  }
  for (const auto& row : tx.query("SELECT participant_id, kind, SUM(amount_cents) FROM ledger_entries"
                                  " GROUP BY participant_id, kind")) {
    const auto kind = billing::entryKindFromString(row.text(1));
    if (kind) accounts[row.id<core::ParticipantTag>(0)].totals.add(*kind, row.int64(2));
  }
  for (const auto& row : tx.query("SELECT participant_id, seq, due_on, amount_cents, paid_cents FROM installments"
                                  " WHERE replaced = 0 ORDER BY participant_id, seq")) {
    billing::Installment i;
    i.seq = static_cast<int>(row.int64(1));
    i.dueOn = row.date(2);
    i.amountCents = row.int64(3);
    i.paidCents = row.int64(4);
    accounts[row.id<core::ParticipantTag>(0)].installments.push_back(i);
  }
  std::vector<AccountBalance> all;
  for (auto& [participant, account] : accounts) {
    account.participant = participant;
    all.push_back(std::move(account));
  }
  return all;
}

std::vector<LedgerLine> ReportStore::ledger(storage::Transaction& tx, core::Instant from, core::Instant until) const {
  std::vector<LedgerLine> lines;
  for (const auto& row : tx.query("SELECT e.participant_id, e.kind, e.amount_cents, e.document_number, e.created_at,"
                                  " p.method FROM ledger_entries e LEFT JOIN payments p"
                                  " ON e.kind = 'payment' AND p.receipt_number = e.document_number"
                                  " WHERE e.created_at >= ? AND e.created_at < ? ORDER BY e.id",
                                  {from, until})) {
    const auto kind = billing::entryKindFromString(row.text(1));
    if (!kind) continue;
    LedgerLine line{row.id<core::ParticipantTag>(0), *kind, row.int64(2), row.text(3), row.instant(4), std::nullopt};
    if (const auto method = row.optText(5)) line.method = billing::paymentMethodFromString(*method);
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<PaymentLine> ReportStore::payments(storage::Transaction& tx, core::LocalDate from,
                                               core::LocalDate to) const {
  std::vector<PaymentLine> payments;
  for (const auto& row :
       tx.query("SELECT p.id, p.method, p.received_on, p.amount_cents, dp.deposit_id,"
                " CASE WHEN EXISTS (SELECT 1 FROM bank_line_payments b WHERE b.payment_id = p.id)"
                " OR EXISTS (SELECT 1 FROM bank_lines l WHERE l.deposit_id = dp.deposit_id) THEN 1 ELSE 0 END"
                " FROM payments p LEFT JOIN deposit_payments dp ON dp.payment_id = p.id"
                " WHERE p.received_on >= ? AND p.received_on <= ? ORDER BY p.id",
                {from, to})) {
    PaymentLine p;
    p.id = row.id<core::PaymentTag>(0);
    p.method = billing::paymentMethodFromString(row.text(1)).value_or(billing::PaymentMethod::cash);
    p.receivedOn = row.date(2);
    p.cents = row.int64(3);
    if (const auto deposit = row.optInt64(4)) p.deposit = core::DepositId(*deposit);
    p.seenAtBank = row.boolean(5);
    payments.push_back(p);
  }
  return payments;
}

std::vector<BankLineSummary> ReportStore::bankLines(storage::Transaction& tx, core::LocalDate from,
                                                    core::LocalDate to) const {
  std::vector<BankLineSummary> lines;
  for (const auto& row : tx.query("SELECT id, booked_on, amount_cents, status, ignore_kind FROM bank_lines"
                                  " WHERE booked_on >= ? AND booked_on <= ? ORDER BY booked_on, id",
                                  {from, to})) {
    BankLineSummary line;
    line.id = row.id<core::BankLineTag>(0);
    line.bookedOn = row.date(1);
    line.cents = row.int64(2);
    line.status = lineStatusFromString(row.text(3)).value_or(LineStatus::unmatched);
    line.ignoreKind = row.optText(4);
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<TaxDocument> ReportStore::taxDocuments(storage::Transaction& tx, core::Instant until) const {
  std::vector<TaxDocument> taxes;
  for (const auto kind : {invoices::DocumentKind::invoice, invoices::DocumentKind::credit_note}) {
    invoices::DocumentFilter filter;
    filter.kind = kind;
    filter.limit = kDocumentPage;
    for (;;) {
      const auto page = documents_.list(tx, filter);
      for (const auto& row : page) {
        if (row.view.issuedAt < until) taxes.push_back(taxDocumentOf(row.view));
      }
      if (static_cast<int>(page.size()) < kDocumentPage) break;
      filter.afterId = page.back().id;
    }
  }
  return taxes;
}

}  // namespace parcours::finance
