#pragma once
// The journal export (docs/decisions.md "Finance (issue 11): reports") —
// pure: the ledger, deposits and bank fees of a period as double-entry
// journal lines an accounting package can import. Every event gives lines
// whose debits equal their credits, so the whole journal balances.
//
//   charge       Dr Accounts receivable / Cr Program fees (+ GST payable, QST payable)
//   credit note  the reverse
//   payment      Dr Bank (interac, bank_transfer) or Undeposited funds (cash, cheque,
//                debit, credit) / Cr Accounts receivable
//   refund       Dr Accounts receivable / Cr Bank
//   returned     Dr Accounts receivable / Cr Bank
//   deposit      Dr Bank (net), Dr Card fees (its fee) / Cr Undeposited funds (total)
//   bank fee     Dr Bank fees / Cr Bank

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "finance/reports.h"

namespace parcours::finance {

enum class JournalAccount {
  accounts_receivable,
  program_fees,
  gst_payable,
  qst_payable,
  bank,
  undeposited_funds,
  card_fees,
  bank_fees
};
// "Accounts receivable", "Program fees", "GST payable", ...
std::string_view toString(JournalAccount account);

struct JournalLine {
  core::LocalDate date;
  JournalAccount account = JournalAccount::bank;
  std::int64_t debitCents = 0;
  std::int64_t creditCents = 0;
  std::string document;  // the document number; "deposit-12", "bank-line-34"
};

struct JournalReport {
  std::vector<JournalLine> rows;  // by date, then event, debits first
  std::int64_t debitCents = 0, creditCents = 0;
  // Debits less credits on Accounts receivable: what the period added to balances.
  std::int64_t receivableNetCents = 0;
};

// `taxesByDocument` gives the GST and QST of each invoice and credit note
// (by number); a charge or credit without one is all program fees.
// `bankFees` are the lines ignored as bank fees. Ledger entries are dated by
// their creation in `zone`, deposits by their day, lines by their booking.
JournalReport journalReport(const std::vector<LedgerLine>& entries,
                            const std::map<std::string, TaxDocument>& taxesByDocument,
                            const std::vector<Deposit>& deposits, const std::vector<BankLineSummary>& bankFees,
                            const date::time_zone& zone);

}  // namespace parcours::finance
