#include "finance/journal.h"

#include <algorithm>

namespace parcours::finance {

namespace {

using Account = JournalAccount;

bool paidIntoBank(std::optional<billing::PaymentMethod> method) {
  return method == billing::PaymentMethod::interac || method == billing::PaymentMethod::bank_transfer;
}

// One event's lines, in the order they are written (debits first).
class Event {
 public:
  Event(core::LocalDate date, std::string document) : date_(date), document_(std::move(document)) {}
  Event& debit(Account account, std::int64_t cents) {
    if (cents != 0) debits_.push_back({date_, account, cents, 0, document_});
    return *this;
  }
  Event& credit(Account account, std::int64_t cents) {
    if (cents != 0) credits_.push_back({date_, account, 0, cents, document_});
    return *this;
  }
  void appendTo(std::vector<JournalLine>& lines) const {
    lines.insert(lines.end(), debits_.begin(), debits_.end());
    lines.insert(lines.end(), credits_.begin(), credits_.end());
  }
  core::LocalDate date() const { return date_; }

 private:
  core::LocalDate date_;
  std::string document_;
  std::vector<JournalLine> debits_, credits_;
};

// A charge or credit note split into fees and taxes (all fees without its document).
struct FeeSplit {
  std::int64_t fees = 0, gst = 0, qst = 0;
};
FeeSplit splitOf(const LedgerLine& e, const std::map<std::string, TaxDocument>& taxes) {
  const auto found = taxes.find(e.document);
  if (found == taxes.end()) return {e.cents, 0, 0};
  return {e.cents - found->second.gstCents - found->second.qstCents, found->second.gstCents, found->second.qstCents};
}

Event eventOf(const LedgerLine& e, const std::map<std::string, TaxDocument>& taxes, const date::time_zone& zone) {
  Event event(core::localDateOf(e.at, zone), e.document);
  switch (e.kind) {
    case billing::EntryKind::charge: {
      const FeeSplit split = splitOf(e, taxes);
      event.debit(Account::accounts_receivable, e.cents)
          .credit(Account::program_fees, split.fees)
          .credit(Account::gst_payable, split.gst)
          .credit(Account::qst_payable, split.qst);
      break;
    }
    case billing::EntryKind::credit: {
      const FeeSplit split = splitOf(e, taxes);
      event.debit(Account::program_fees, split.fees)
          .debit(Account::gst_payable, split.gst)
          .debit(Account::qst_payable, split.qst)
          .credit(Account::accounts_receivable, e.cents);
      break;
    }
    case billing::EntryKind::payment:
      event.debit(paidIntoBank(e.method) ? Account::bank : Account::undeposited_funds, e.cents)
          .credit(Account::accounts_receivable, e.cents);
      break;
    case billing::EntryKind::refund:
    case billing::EntryKind::returned:
      event.debit(Account::accounts_receivable, e.cents).credit(Account::bank, e.cents);
      break;
  }
  return event;
}

}  // namespace

std::string_view toString(JournalAccount account) {
  switch (account) {
    case Account::accounts_receivable: return "Accounts receivable";
    case Account::program_fees: return "Program fees";
    case Account::gst_payable: return "GST payable";
    case Account::qst_payable: return "QST payable";
    case Account::bank: return "Bank";
    case Account::undeposited_funds: return "Undeposited funds";
    case Account::card_fees: return "Card fees";
    case Account::bank_fees: return "Bank fees";
  }
  return "Bank";
}

JournalReport journalReport(const std::vector<LedgerLine>& entries,
                            const std::map<std::string, TaxDocument>& taxesByDocument,
                            const std::vector<Deposit>& deposits, const std::vector<BankLineSummary>& bankFees,
                            const date::time_zone& zone) {
  std::vector<Event> events;
  for (const auto& e : entries) events.push_back(eventOf(e, taxesByDocument, zone));
  for (const auto& d : deposits) {
    Event event(d.depositedOn, "deposit-" + d.id.toString());
    event.debit(Account::bank, d.netCents())
        .debit(Account::card_fees, d.feeCents)
        .credit(Account::undeposited_funds, d.totalCents);
    events.push_back(std::move(event));
  }
  for (const auto& l : bankFees) {
    Event event(l.bookedOn, "bank-line-" + l.id.toString());
    event.debit(Account::bank_fees, -l.cents).credit(Account::bank, -l.cents);
    events.push_back(std::move(event));
  }
  // Stable: the ledger's order within a day, then deposits, then bank fees.
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.date() < b.date(); });
  JournalReport report;
  for (const auto& event : events) event.appendTo(report.rows);
  for (const auto& line : report.rows) {
    report.debitCents += line.debitCents;
    report.creditCents += line.creditCents;
    if (line.account == Account::accounts_receivable) report.receivableNetCents += line.debitCents - line.creditCents;
  }
  return report;
}

}  // namespace parcours::finance
