#include "finance/matching.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace parcours::finance {

using core::PaymentId;

namespace {

constexpr int kRecordedPaymentDays = 7;
constexpr int kDepositDays = 5;
constexpr int kDueAfterLineDays = 15;   // due at most this many days after the line
constexpr int kDueBeforeLineDays = 30;  // or this many before it
constexpr int kSumDays = 7;
constexpr std::size_t kMostSums = 3;
constexpr std::size_t kMostInSum = 8;
constexpr std::size_t kSumPool = 20;       // nearest payments of one method considered for a sum
constexpr long kSumSearchBudget = 20000;  // subsets visited per method, at most

int daysBetween(core::LocalDate a, core::LocalDate b) {
  return std::abs((a - b).count());
}

std::string money(std::int64_t cents) {
  const std::int64_t whole = cents / 100;
  const std::int64_t part = std::abs(cents % 100);
  return std::to_string(whole) + "." + (part < 10 ? "0" : "") + std::to_string(part);
}

// The participants the line's references name, by code, in order. A
// reference whose check fails names the participant of the code as written
// and every participant a reference one typo away would name: when that is
// more than one, the line cannot say whose it is.
std::vector<std::string> namedParticipants(const BankLineFacts& line, const MatchingBook& book) {
  std::vector<std::string> codes;
  const auto add = [&](const std::string& code) {
    if (book.accountsByCode.count(code) != 0 && std::find(codes.begin(), codes.end(), code) == codes.end()) {
      codes.push_back(code);
    }
  };
  for (const auto& code : line.references.participantCodes) add(code);
  for (const auto& uncertain : line.references.uncertain) {
    add(uncertain.writtenCode);
    for (const auto& nearby : uncertain.nearby) add(nearby.participantCode);
  }
  for (const auto& number : line.references.documentNumbers) {
    if (const auto owner = book.invoiceOwners.find(number); owner != book.invoiceOwners.end()) add(owner->second);
    for (const auto& p : book.loosePayments) {
      if (p.receiptNumber != number) continue;
      for (const auto& [code, account] : book.accountsByCode) {
        if (account.participant == p.participant) add(code);
      }
    }
  }
  return codes;
}

std::optional<MatchDecision> byReference(const BankLineFacts& line, const MatchingBook& book) {
  // A receipt number naming a recorded payment of the same amount settles it.
  std::vector<const LoosePayment*> receipts;
  for (const auto& number : line.references.documentNumbers) {
    for (const auto& p : book.loosePayments) {
      if (p.receiptNumber == number && p.amountCents == line.amountCents) receipts.push_back(&p);
    }
  }
  if (receipts.size() == 1) {
    return MatchDecision{LineStatus::matched,
                         Candidate{MatchRule::reference, "receipt number in the line", {receipts.front()->id}},
                         {}};
  }
  const auto codes = namedParticipants(line, book);
  if (codes.empty()) return std::nullopt;
  MatchDecision decision;
  decision.status = LineStatus::proposed;
  if (codes.size() > 1) {
    for (const auto& code : codes) {
      Candidate c{MatchRule::reference, "the line names several participants"};
      c.participant = book.accountsByCode.at(code).participant;
      decision.candidates.push_back(std::move(c));
    }
    return decision;
  }
  const BookAccount& account = book.accountsByCode.at(codes.front());
  std::vector<PaymentId> recorded;
  for (const auto& p : book.loosePayments) {
    if (p.participant == account.participant && p.amountCents == line.amountCents &&
        daysBetween(p.receivedOn, line.date) <= kRecordedPaymentDays) {
      recorded.push_back(p.id);
    }
  }
  if (recorded.size() == 1) {
    decision.status = LineStatus::matched;
    decision.applied = Candidate{MatchRule::reference, "reference in the line; the payment was already recorded",
                                 recorded};
    return decision;
  }
  if (recorded.size() > 1) {
    for (const auto id : recorded) {
      decision.candidates.push_back(
          Candidate{MatchRule::reference, "reference in the line; several recorded payments of this amount", {id}});
    }
    return decision;
  }
  Candidate record{MatchRule::reference, "reference in the line"};
  record.participant = account.participant;
  if (line.amountCents <= account.owedCents) {
    decision.status = LineStatus::matched;
    decision.applied = record;
    return decision;
  }
  record.reason = "reference in the line, but the amount is more than the " + money(std::max<std::int64_t>(
                                                                                   0, account.owedCents)) +
                  " owed (the rest would be a credit)";
  decision.candidates.push_back(std::move(record));
  return decision;
}

std::vector<Candidate> byDeposit(const BankLineFacts& line, const MatchingBook& book) {
  std::vector<Candidate> found;
  for (const auto& d : book.deposits) {
    if (d.netCents == line.amountCents && daysBetween(d.depositedOn, line.date) <= kDepositDays) {
      Candidate c{MatchRule::deposit, "deposit total within 5 days"};
      c.deposit = d.id;
      found.push_back(std::move(c));
    }
  }
  return found;
}

std::vector<Candidate> byKnownPayer(const BankLineFacts& line, const MatchingBook& book) {
  std::vector<Candidate> found;
  std::vector<std::string> codes;
  for (const auto& alias : line.payerAliases) {
    const auto payers = book.payersByAlias.find(alias);
    if (payers == book.payersByAlias.end()) continue;
    for (const auto& code : payers->second) {
      if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    }
  }
  for (const auto& code : codes) {
    const auto account = book.accountsByCode.find(code);
    if (account == book.accountsByCode.end()) continue;
    for (const auto& i : account->second.installments) {
      const int after = (i.dueOn - line.date).count();  // > 0: due after the line
      if (i.remainingCents != line.amountCents || after > kDueAfterLineDays || -after > kDueBeforeLineDays) continue;
      Candidate c{MatchRule::known_payer, "known payer; the exact amount due on an installment"};
      c.participant = account->second.participant;
      c.installmentSeq = i.seq;
      found.push_back(std::move(c));
    }
  }
  return found;
}

}  // namespace

std::string_view toString(MatchRule rule) {
  switch (rule) {
    case MatchRule::reference: return "reference";
    case MatchRule::deposit: return "deposit";
    case MatchRule::known_payer: return "known_payer";
    case MatchRule::payment_sum: return "payment_sum";
    case MatchRule::manual: return "manual";
  }
  return "manual";
}

std::optional<MatchRule> matchRuleFromString(std::string_view text) {
  for (const auto r : {MatchRule::reference, MatchRule::deposit, MatchRule::known_payer, MatchRule::payment_sum,
                       MatchRule::manual}) {
    if (toString(r) == text) return r;
  }
  return std::nullopt;
}

std::string_view toString(LineStatus status) {
  switch (status) {
    case LineStatus::unmatched: return "unmatched";
    case LineStatus::proposed: return "proposed";
    case LineStatus::matched: return "matched";
    case LineStatus::ignored: return "ignored";
  }
  return "unmatched";
}

std::optional<LineStatus> lineStatusFromString(std::string_view text) {
  for (const auto s : {LineStatus::unmatched, LineStatus::proposed, LineStatus::matched, LineStatus::ignored}) {
    if (toString(s) == text) return s;
  }
  return std::nullopt;
}

std::vector<std::vector<PaymentId>> paymentSums(const std::vector<LoosePayment>& payments, core::LocalDate day,
                                                std::int64_t amountCents, int days, std::size_t most) {
  std::vector<std::vector<PaymentId>> sums;
  for (const auto method : billing::kPaymentMethods) {
    std::vector<const LoosePayment*> pool;
    for (const auto& p : payments) {
      if (p.method == method && p.amountCents <= amountCents && daysBetween(p.receivedOn, day) <= days) {
        pool.push_back(&p);
      }
    }
    // The nearest in time first, then the largest first (prunes sooner).
    std::sort(pool.begin(), pool.end(), [&](const LoosePayment* a, const LoosePayment* b) {
      const int da = daysBetween(a->receivedOn, day);
      const int db = daysBetween(b->receivedOn, day);
      return da != db ? da < db : a->id < b->id;
    });
    if (pool.size() > kSumPool) pool.resize(kSumPool);
    std::sort(pool.begin(), pool.end(), [](const LoosePayment* a, const LoosePayment* b) {
      return a->amountCents != b->amountCents ? a->amountCents > b->amountCents : a->id < b->id;
    });
    std::vector<std::int64_t> rest(pool.size() + 1, 0);  // sum of pool[i..]
    for (std::size_t i = pool.size(); i-- > 0;) rest[i] = rest[i + 1] + pool[i]->amountCents;
    std::vector<PaymentId> chosen;
    long budget = kSumSearchBudget;
    // Depth-first over the pool: include pool[i] or skip it.
    const auto search = [&](auto& self, std::size_t i, std::int64_t left) -> void {
      if (sums.size() >= most || --budget < 0) return;
      if (left == 0) {
        auto set = chosen;
        std::sort(set.begin(), set.end());
        if (std::find(sums.begin(), sums.end(), set) == sums.end()) sums.push_back(std::move(set));
        return;
      }
      if (i == pool.size() || chosen.size() == kMostInSum || rest[i] < left) return;
      if (pool[i]->amountCents <= left) {
        chosen.push_back(pool[i]->id);
        self(self, i + 1, left - pool[i]->amountCents);
        chosen.pop_back();
      }
      // Leaving pool[i] out, leave out the payments of the same amount after
      // it too: taking one of them instead gives the same sum again.
      std::size_t next = i + 1;
      while (next < pool.size() && pool[next]->amountCents == pool[i]->amountCents) ++next;
      self(self, next, left);
    };
    search(search, 0, amountCents);
    if (sums.size() >= most) break;
  }
  std::stable_sort(sums.begin(), sums.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  return sums;
}

MatchDecision decideMatch(const BankLineFacts& line, const MatchingBook& book) {
  if (line.amountCents <= 0) return {};
  if (auto decision = byReference(line, book)) return *decision;
  if (auto deposits = byDeposit(line, book); !deposits.empty()) {
    const bool alone = deposits.size() == 1 && !line.electronic &&
                       book.contestedDeposits.count(*deposits.front().deposit) == 0;
    if (alone) return {LineStatus::matched, deposits.front(), {}};
    return {LineStatus::proposed, std::nullopt, deposits};
  }
  MatchDecision decision;
  decision.candidates = byKnownPayer(line, book);
  for (auto& set : paymentSums(book.loosePayments, line.date, line.amountCents, kSumDays, kMostSums)) {
    Candidate c{MatchRule::payment_sum,
                set.size() == 1 ? "a recorded payment of this amount within 7 days"
                                : "recorded payments of one method within 7 days adding up to the amount"};
    c.payments = std::move(set);
    decision.candidates.push_back(std::move(c));
  }
  decision.status = decision.candidates.empty() ? LineStatus::unmatched : LineStatus::proposed;
  return decision;
}

std::set<core::DepositId> contestedDeposits(const std::vector<BankLineFacts>& lines, const MatchingBook& book) {
  std::map<core::DepositId, int> takers;
  for (const auto& line : lines) {
    if (line.amountCents <= 0) continue;
    for (const auto& c : byDeposit(line, book)) ++takers[*c.deposit];
  }
  std::set<core::DepositId> contested;
  for (const auto& [deposit, count] : takers) {
    if (count > 1) contested.insert(deposit);
  }
  return contested;
}

void consume(MatchingBook& book, const Candidate& applied, std::int64_t amountCents) {
  std::set<PaymentId> used(applied.payments.begin(), applied.payments.end());
  std::erase_if(book.loosePayments, [&](const LoosePayment& p) { return used.count(p.id) != 0; });
  if (applied.deposit) {
    std::erase_if(book.deposits, [&](const OpenDeposit& d) { return d.id == *applied.deposit; });
  }
  if (applied.participant && applied.payments.empty()) {
    for (auto& [code, account] : book.accountsByCode) {
      if (account.participant != *applied.participant) continue;
      account.owedCents -= amountCents;
      // The payment settles installments oldest first, as billing allocates.
      std::int64_t left = amountCents;
      for (auto& i : account.installments) {
        const std::int64_t take = std::min(left, i.remainingCents);
        i.remainingCents -= take;
        left -= take;
      }
      std::erase_if(account.installments, [](const OpenInstallment& i) { return i.remainingCents <= 0; });
    }
  }
}

}  // namespace parcours::finance
