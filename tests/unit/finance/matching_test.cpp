#include "finance/matching.h"

#include <catch2/catch.hpp>

using namespace parcours;
using namespace parcours::finance;
using core::PaymentId;

namespace {

core::LocalDate day(int d) {
  return core::LocalDate{date::year{2026} / date::November / date::day{static_cast<unsigned>(d)}};
}

MatchingBook bookOf() {
  MatchingBook book;
  book.accountsByCode["P-7K3Q9X"] = {core::ParticipantId(1), "P-7K3Q9X", 30000, {{1, day(1), 10000}, {2, day(15), 20000}}};
  book.accountsByCode["P-ABCDEF"] = {core::ParticipantId(2), "P-ABCDEF", 5000, {{1, day(20), 5000}}};
  return book;
}

BankLineFacts line(std::int64_t cents, const std::string& text, int d = 10) {
  return {day(d), cents, scanReferences(text), {}};
}

}  // namespace

TEST_CASE("rule 1: one participant, amount owed → a payment recorded from the line, automatically") {
  const auto decision = decideMatch(line(10000, parcours::participants::makeReference("P-7K3Q9X", 1)), bookOf());
  CHECK(decision.status == LineStatus::matched);
  REQUIRE(decision.applied);
  CHECK(decision.applied->rule == MatchRule::reference);
  CHECK(decision.applied->participant == core::ParticipantId(1));
  CHECK(decision.applied->payments.empty());
}

TEST_CASE("rule 1: more than owed is only proposed (the rest would become a credit)") {
  const auto decision = decideMatch(line(30001, "P-7K3Q9X"), bookOf());
  CHECK(decision.status == LineStatus::proposed);
  CHECK_FALSE(decision.applied);
  REQUIRE(decision.candidates.size() == 1);
  CHECK(decision.candidates.front().participant == core::ParticipantId(1));
}

TEST_CASE("rule 1: two participants named → one proposal each, nothing applied") {
  const auto decision = decideMatch(line(5000, "P-7K3Q9X and P-ABCDEF"), bookOf());
  CHECK(decision.status == LineStatus::proposed);
  CHECK(decision.candidates.size() == 2);
}

TEST_CASE("rule 1: a payment already recorded is matched, not recorded twice") {
  auto book = bookOf();
  book.loosePayments.push_back({PaymentId(7), core::ParticipantId(1), billing::PaymentMethod::interac, day(9), 10000,
                                "R-2026-00007"});
  const auto decision = decideMatch(line(10000, "P7K3Q9X"), book);
  REQUIRE(decision.applied);
  CHECK(decision.applied->payments == std::vector<PaymentId>{PaymentId(7)});
  book.loosePayments.push_back({PaymentId(8), core::ParticipantId(1), billing::PaymentMethod::interac, day(11), 10000,
                                "R-2026-00008"});
  const auto two = decideMatch(line(10000, "P7K3Q9X"), book);
  CHECK(two.status == LineStatus::proposed);
  CHECK(two.candidates.size() == 2);
}

TEST_CASE("rule 1: an unknown code falls through to the next rules") {
  const auto decision = decideMatch(line(10000, "P-2222222"), bookOf());
  CHECK(decision.status == LineStatus::unmatched);
}

TEST_CASE("rule 2: a deposit's net total within 5 days; only one is applied") {
  auto book = bookOf();
  book.deposits.push_back({core::DepositId(3), day(6), 45000});
  CHECK(decideMatch(line(45000, "DEPOT"), book).status == LineStatus::matched);
  CHECK(decideMatch(line(45000, "DEPOT", 12), book).status == LineStatus::unmatched);  // 6 days later
  book.deposits.push_back({core::DepositId(4), day(8), 45000});
  const auto two = decideMatch(line(45000, "DEPOT"), book);
  CHECK(two.status == LineStatus::proposed);
  CHECK(two.candidates.size() == 2);
}

TEST_CASE("rule 3: a known payer with the exact amount due is proposed, never applied") {
  auto book = bookOf();
  book.payersByAlias["alias-1"] = {"P-ABCDEF"};
  BankLineFacts facts = line(5000, "Virement recu");
  facts.payerAliases = {"alias-0", "alias-1"};
  const auto decision = decideMatch(facts, book);
  CHECK(decision.status == LineStatus::proposed);
  REQUIRE(decision.candidates.size() == 1);
  CHECK(decision.candidates.front().rule == MatchRule::known_payer);
  CHECK(decision.candidates.front().installmentSeq == 1);
  facts.date = day(20) + date::days{31};  // the installment is due more than 30 days before
  CHECK(decideMatch(facts, book).status == LineStatus::unmatched);
}

TEST_CASE("rule 4: recorded payments of one method adding up are proposed") {
  auto book = bookOf();
  const auto cheque = billing::PaymentMethod::cheque;
  book.loosePayments = {{PaymentId(1), core::ParticipantId(1), cheque, day(8), 12000, "R-1"},
                        {PaymentId(2), core::ParticipantId(2), cheque, day(9), 8000, "R-2"},
                        {PaymentId(3), core::ParticipantId(2), billing::PaymentMethod::cash, day(9), 8000, "R-3"},
                        {PaymentId(4), core::ParticipantId(1), cheque, day(1), 5000, "R-4"}};
  const auto decision = decideMatch(line(20000, "DEPOT GUICHET"), book);
  CHECK(decision.status == LineStatus::proposed);
  REQUIRE(decision.candidates.size() == 1);  // cheque 1 + cheque 2; cash never mixed in
  CHECK(decision.candidates.front().rule == MatchRule::payment_sum);
  CHECK(decision.candidates.front().payments == std::vector<PaymentId>{PaymentId(1), PaymentId(2)});
  CHECK(decideMatch(line(25000, "DEPOT GUICHET"), book).status == LineStatus::unmatched);  // cheque 4 is 9 days off
}

TEST_CASE("payment sums stay bounded over many payments") {
  std::vector<LoosePayment> many;
  for (int i = 1; i <= 500; ++i) {
    many.push_back({PaymentId(i), core::ParticipantId(i), billing::PaymentMethod::cheque, day(10), 100 + i, "R"});
  }
  const auto sums = paymentSums(many, day(10), 1, 7, 3);  // impossible: nothing that small
  CHECK(sums.empty());
  const auto some = paymentSums(many, day(10), 101 + 102, 7, 3);
  CHECK(some.size() <= 3);
}

TEST_CASE("debit lines are never matched by the rules") {
  auto book = bookOf();
  book.deposits.push_back({core::DepositId(3), day(10), 45000});
  CHECK(decideMatch(line(-45000, "P-7K3Q9X"), book).status == LineStatus::unmatched);
}

TEST_CASE("consume takes used payments and deposits out and lowers what is owed") {
  auto book = bookOf();
  Candidate record{MatchRule::reference, "r"};
  record.participant = core::ParticipantId(1);
  consume(book, record, 25000);
  CHECK(book.accountsByCode["P-7K3Q9X"].owedCents == 5000);
  REQUIRE(book.accountsByCode["P-7K3Q9X"].installments.size() == 1);
  CHECK(book.accountsByCode["P-7K3Q9X"].installments.front().remainingCents == 5000);
  // The second line of the same amount no longer fits what is owed.
  CHECK(decideMatch(line(10000, "P-7K3Q9X"), book).status == LineStatus::proposed);
}

TEST_CASE("rule 1: a mistyped code that names another participant is only proposed") {
  // The written code belongs to someone; the meant one, one typo away, to someone else.
  const std::string meant = parcours::participants::makeReference("P-7K3Q9X", 1);
  std::string typo = meant;
  typo[1] = '8';  // "P8K3Q9X-1-…": check fails
  auto book = bookOf();
  book.accountsByCode["P-8K3Q9X"] = {core::ParticipantId(3), "P-8K3Q9X", 30000, {{1, day(1), 10000}}};
  const auto decision = decideMatch(line(10000, typo), book);
  CHECK(decision.status == LineStatus::proposed);
  CHECK_FALSE(decision.applied);
  CHECK(decision.candidates.size() == 2);
}

TEST_CASE("rule 1: a mistyped check character still pays its own participant") {
  std::string typo = parcours::participants::makeReference("P-7K3Q9X", 1);
  typo.back() = typo.back() == 'A' ? 'B' : 'A';
  const auto decision = decideMatch(line(10000, typo), bookOf());
  REQUIRE(decision.applied);
  CHECK(decision.applied->participant == core::ParticipantId(1));
}

TEST_CASE("rule 2: a deposit two lines could be, or a line that reads as a transfer, is only proposed") {
  auto book = bookOf();
  book.deposits.push_back({core::DepositId(3), day(6), 45000});
  auto transfer = line(45000, "Virement Interac");
  transfer.electronic = true;
  CHECK(decideMatch(transfer, book).status == LineStatus::proposed);
  const std::vector<BankLineFacts> file{line(45000, "DEPOT"), line(45000, "DEPOT", 8)};
  book.contestedDeposits = contestedDeposits(file, book);
  CHECK(book.contestedDeposits.count(core::DepositId(3)) == 1);
  CHECK(decideMatch(file[0], book).status == LineStatus::proposed);
}
