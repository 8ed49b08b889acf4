#pragma once
// Matching a bank line to what it pays — pure (docs/domain.md
// "Reconciliation"). The rules, in order:
//   1. reference: the line names participants (installment reference,
//      participant code, receipt or invoice number; for a reference whose
//      check fails, the code as written and every participant a reference
//      one typo or swap away would name). One participant and an amount no
//      larger than they owe → automatic: to their payment already recorded
//      (same amount, within 7 days, not yet seen at the bank), or a payment
//      recorded from the line. Several participants, several recorded
//      payments or an amount above what is owed → proposed.
//   2. deposit: a deposit whose net total equals the line, within ±5 days →
//      automatic when it is the only one, the line does not read as an
//      electronic transfer, and no other line of the file could be that
//      deposit; else proposed.
//   3. known payer: a payer name learned from confirmed matches, with the
//      exact amount still due on an open installment due at most 15 days
//      after or 30 days before the line → proposed.
//   4. payment sum: one to eight recorded payments of one method, not in a
//      deposit nor seen at the bank, dated within 7 days of the line, whose
//      sum is the line's amount → proposed, never automatic.
//   5. otherwise unmatched.
// Only a single candidate is ever applied automatically. Debit lines
// (money out) are never matched here: staff mark them (bank fee, returned
// cheque). Everything the matcher reads is in a MatchingBook, a snapshot
// loaded for the lines at hand; `consume` keeps it true as lines are matched
// one after another in a file.

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/payment_store.h"
#include "core/id.h"
#include "core/time.h"
#include "finance/reference_scan.h"

namespace parcours::finance {

enum class MatchRule { reference, deposit, known_payer, payment_sum, manual };
std::string_view toString(MatchRule rule);
std::optional<MatchRule> matchRuleFromString(std::string_view text);

struct OpenInstallment {
  int seq = 0;
  core::LocalDate dueOn;
  std::int64_t remainingCents = 0;  // amount − paid, > 0
};

struct BookAccount {
  core::ParticipantId participant{0};
  std::string code;
  std::int64_t owedCents = 0;  // the balance (≤ 0: nothing owed)
  std::vector<OpenInstallment> installments;
};

// A payment recorded by hand, not in a deposit, not yet seen at the bank
// and not returned.
struct LoosePayment {
  core::PaymentId id{0};
  core::ParticipantId participant{0};
  billing::PaymentMethod method = billing::PaymentMethod::cash;
  core::LocalDate receivedOn;
  std::int64_t amountCents = 0;
  std::string receiptNumber;
};

struct OpenDeposit {
  core::DepositId id{0};
  core::LocalDate depositedOn;
  std::int64_t netCents = 0;  // total less its fee
};

struct MatchingBook {
  std::map<std::string, BookAccount> accountsByCode;              // "P-7K3Q9X" →
  std::map<std::string, std::string> invoiceOwners;               // "F-2026-00012" → participant code
  std::map<std::string, std::vector<std::string>> payersByAlias;  // payer alias digest → participant codes
  std::vector<LoosePayment> loosePayments;
  std::vector<OpenDeposit> deposits;
  std::set<core::DepositId> contestedDeposits;  // more than one line of the file could be each
};

struct BankLineFacts {
  core::LocalDate date;
  std::int64_t amountCents = 0;
  ScannedReferences references;  // of the description and the reference
  std::vector<std::string> payerAliases;  // keys of the payer's name (finance/payer_names.h)
  bool electronic = false;                // the text reads as an Interac e-Transfer or a bank transfer
};

struct Candidate {
  MatchRule rule = MatchRule::manual;
  std::string reason;                     // why it was proposed, for the review queue (no names)
  std::vector<core::PaymentId> payments;  // match to these recorded payments
  std::optional<core::DepositId> deposit;          // or to this deposit
  std::optional<core::ParticipantId> participant;  // or record a payment from the line for them
  std::optional<int> installmentSeq;               // the installment it seems to pay (known payer)
  bool operator==(const Candidate&) const = default;
};

enum class LineStatus { unmatched, proposed, matched, ignored };
std::string_view toString(LineStatus status);
std::optional<LineStatus> lineStatusFromString(std::string_view text);

struct MatchDecision {
  LineStatus status = LineStatus::unmatched;
  std::optional<Candidate> applied;    // when matched automatically
  std::vector<Candidate> candidates;   // when proposed
};

// The decision for one line over `book` (see the header comment).
MatchDecision decideMatch(const BankLineFacts& line, const MatchingBook& book);

// The deposits more than one of `lines` could be by their amount and date
// (rule 2): none of them is applied automatically.
std::set<core::DepositId> contestedDeposits(const std::vector<BankLineFacts>& lines, const MatchingBook& book);

// Takes what an applied candidate used out of the book (its payments and
// deposit are seen at the bank; a payment recorded from the line lowers what
// its participant owes).
void consume(MatchingBook& book, const Candidate& applied, std::int64_t amountCents);

// The loose payments (1 to 8, one method) summing to `amountCents`, dated
// within `days` of `day`: up to `most` distinct sets, smallest first.
std::vector<std::vector<core::PaymentId>> paymentSums(const std::vector<LoosePayment>& payments, core::LocalDate day,
                                                      std::int64_t amountCents, int days, std::size_t most);

}  // namespace parcours::finance
