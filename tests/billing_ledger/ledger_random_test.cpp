// The billing ledger under a long random sequence of operations, under a
// failure half-way and under concurrency, on the driver chosen by the
// environment (tests/storage/test_database.h; CTest runs it on both).
// docs/domain.md "Money": balance = charges − credits − payments + refunds +
// returned (payments the bank sent back) at any moment, the sums of all accounts match the sums of the documents, numbers
// per prefix and year are gapless from 1, a rejected or failed write leaves
// nothing behind.

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <latch>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#include "tests/support/on_threads.h"

#include "core/error.h"
#include "ledger_world.h"

using namespace parcours;
using namespace parcours::billing;
using namespace parcours::billing::ledger_test;

using parcours::testing::onThreads;

namespace {

// The program's currency (BillingOptions' fee) in the worlds of these tests.
core::Money money(std::int64_t cents) {
  return core::Money(cents, "CAD");
}

core::Instant at(const char* rfc3339) {
  return core::parseInstant(rfc3339);
}

std::string yearOf(core::LocalDate day) {
  return std::to_string(static_cast<int>(date::year_month_day{day}.year()));
}

// Billing as configured with sales taxes, so every amount carries rounding.
BillingOptions taxedOptions() {
  BillingOptions options;
  options.feeTaxCode = TaxCode::gst_qst;
  return options;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& line : lines) all += "\n  " + line;
  return all;
}

// Due dates of a plan, computed here: weekly/biweekly add 7/14 days; monthly
// keeps the first date's day, clamped to the month's last day.
core::LocalDate expectedDueDate(core::LocalDate first, int index, Frequency frequency) {
  if (frequency != Frequency::monthly) return first + date::days((frequency == Frequency::weekly ? 7 : 14) * index);
  const date::year_month_day ymd{first};
  const auto month = date::year_month{ymd.year(), ymd.month()} + date::months(index);
  const auto last = date::year_month_day_last{month.year(), date::month_day_last{month.month()}}.day();
  return core::LocalDate{month.year() / month.month() / std::min(ymd.day(), last)};
}

struct ModelPayment {
  std::int64_t id = 0;
  std::int64_t participantId = 0;
  std::int64_t amountCents = 0;
  std::int64_t refundedCents = 0;
  bool returned = false;  // the bank sent it back: nothing more to refund or return
  std::int64_t left() const { return returned ? 0 : amountCents - refundedCents; }
};

// The random run: the services, the model the test keeps, and the checks.
class RandomLedgerRun {
 public:
  RandomLedgerRun(BillingWorld& world, std::uint32_t seed) : world_(world), rng_(seed), audit_(world.zone()) {}

  void enrolParticipants(int count) {
    for (int n = 0; n < count; ++n) {
      const std::int64_t id = world_.refer(n);
      world_.enrol(id);
      model_[id] = {world_.billing().options().fee.cents(),
                    {lineTotalWithTaxes(world_.billing().options().fee.cents(), TaxCode::gst_qst), 0, 0, 0, 0}};
      enrolled_.push_back(id);
    }
    notEnrolled_ = world_.refer(count);  // referred only: no account, no fee
    checkEverything("after the enrolments", nullptr);
  }

  void run(int steps) {
    for (int step = 1; step <= steps; ++step) {
      world_.clock().advance(std::chrono::minutes(pick(0, 720)));
      Attempt attempt = next();
      attempt.description = "step " + std::to_string(step) + " (" + core::formatInstantUtc(world_.clock().now()) +
                            "): " + attempt.description;
      perform(attempt);
      if (step % 100 == 0 || step == steps) checkDetails(attempt.description);
    }
  }

  // Steps that made a live installment ask more than the account owed (see
  // scheduleProblems): how many, by operation, and the first few.
  std::string scheduleFindings() const {
    if (scheduleFindingsBy_.empty()) return {};
    std::string text = "\nsteps that made live installments ask more than is owed:";
    for (const auto& [operation, n] : scheduleFindingsBy_) text += " " + std::to_string(n) + " x " + operation;
    return text + ", the first ones:" + joined(scheduleFindings_);
  }

  std::string summary() const {
    std::ostringstream text;
    text << accepted_ << " accepted, " << rejected_ << " rejected as expected (";
    bool first = true;
    for (const auto& [status, n] : rejectedByStatus_) {
      text << (first ? "" : ", ") << n << " x " << status;
      first = false;
    }
    text << "); by operation (HTTP status 0 = done):";
    for (const auto& [operation, statuses] : byOperation_) {
      text << " " << operation;
      for (const auto& [status, n] : statuses) text << " " << n << "x" << status;
      text << ";";
    }
    text << " numbers:";
    for (const auto& [key, sequences] : audit_.numbers()) text << " " << key << " 1.." << sequences.size();
    return text.str();
  }

  // Accounts whose net charges (charges − credits) differ from what one
  // invoice of the current fee would charge: per-document rounding of the
  // taxes on each adjustment line can drift by a cent.
  std::vector<std::string> roundingDrift() const {
    std::vector<std::string> out;
    for (const auto& [id, account] : model_) {
      const std::int64_t net = account.totals.charges - account.totals.credits;
      const std::int64_t single = lineTotalWithTaxes(account.feeCents, TaxCode::gst_qst);
      if (net != single) {
        out.push_back("account " + std::to_string(id) + ": fee " + std::to_string(account.feeCents) + ", net charged " +
                      std::to_string(net) + ", one invoice of the fee: " + std::to_string(single));
      }
    }
    return out;
  }

 private:
  struct Attempt {
    std::string description;
    int expectedStatus = 0;  // 0: must succeed; else the HTTP status of the expected core::Error
    std::function<void(storage::Transaction&)> write;
    std::function<void()> onSuccess;                      // updates the model, checks the answer
    std::function<void(const DatabaseState&)> postCheck;  // after success, on the new state
  };

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::int64_t pick64(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool chance(int percent) { return pick(1, 100) <= percent; }
  std::int64_t anyAccount() { return enrolled_[static_cast<std::size_t>(pick(0, int(enrolled_.size()) - 1))]; }
  std::string anyMethod() {
    return std::string(toString(kPaymentMethods[pick(0, int(std::size(kPaymentMethods)) - 1)]));
  }
  std::int64_t balanceOf(std::int64_t id) { return model_.at(id).totals.balance(); }

  Attempt next() {
    const int r = pick(1, 100);
    if (r <= 40) return payment();
    if (r <= 57) return refund();
    if (r <= 62) return returned();
    if (r <= 72) return adjustment();
    if (r <= 90) return plan();
    return invalid();
  }

  PaymentInput paymentInput(std::int64_t id, std::int64_t amount) {
    PaymentInput in;
    in.participantId = core::ParticipantId(id);
    in.amount = money(amount);
    in.method = anyMethod();
    in.receivedOn = world_.today() - date::days(pick(0, 30));
    if (chance(50)) in.reference = "REF-" + std::to_string(pick(1, 999999));
    return in;
  }

  Attempt recordPayment(PaymentInput in, std::string description, int expectedStatus) {
    auto view = std::make_shared<PaymentView>();
    Attempt a;
    a.description = std::move(description);
    a.expectedStatus = expectedStatus;
    a.write = [this, in, view](storage::Transaction& tx) {
      *view = world_.billing().recordPaymentIn(tx, in, kContext);
    };
    a.onSuccess = [this, in, view] {
      model_.at(in.participantId.value()).totals.payments += in.amount.cents();
      payments_.push_back({view->id.value(), in.participantId.value(), in.amount.cents(), 0});
      CHECK(startsWith(view->receiptNumber, "R-" + yearOf(world_.today()) + "-"));
      CHECK(view->amount.cents() == in.amount.cents());
      CHECK(view->balance.cents() == balanceOf(in.participantId.value()));
      std::int64_t allocated = 0;
      for (const auto& allocation : view->allocations) {
        CHECK(allocation.amountCents > 0);
        allocated += allocation.amountCents;
      }
      CHECK(allocated <= in.amount.cents());
    };
    return a;
  }

  Attempt payment() {
    const std::int64_t id = anyAccount();
    const std::int64_t balance = balanceOf(id);
    std::int64_t amount = 0;
    if (balance <= 0) {
      // In credit: finance mostly refunds it; sometimes more comes in.
      std::vector<std::size_t> ofAccount;
      for (std::size_t i = 0; i < payments_.size(); ++i) {
        if (payments_[i].participantId == id && payments_[i].left() > 0) ofAccount.push_back(i);
      }
      if (!ofAccount.empty() && chance(75)) {
        const std::size_t index = ofAccount[static_cast<std::size_t>(pick(0, int(ofAccount.size()) - 1))];
        const std::int64_t left = payments_[index].left();
        return refundOf(index, std::min(left, std::max<std::int64_t>(1, -balance)), "crédit remboursé");
      }
      amount = pick64(1, 5000);
    } else if (const int r = pick(1, 100); r <= 65) {
      amount = pick64(1, balance);
    } else if (r <= 88) {
      amount = balance;  // settles the account
    } else {
      amount = balance + pick64(1, 20000);  // overpays: a credit balance
    }
    PaymentInput in = paymentInput(id, amount);
    return recordPayment(in,
                         "payment of " + std::to_string(amount) + " by " + in.method + " on account " +
                             std::to_string(id) + " (balance " + std::to_string(balance) + ")",
                         0);
  }

  Attempt refundOf(std::size_t index, std::int64_t amount, std::string reason) {
    const ModelPayment p = payments_[index];
    const std::int64_t refundable = p.left();
    Attempt a;
    a.description = "refund of " + std::to_string(amount) + " from payment " + std::to_string(p.id) + " (" +
                    std::to_string(p.amountCents) + ", " + std::to_string(refundable) + " refundable) of account " +
                    std::to_string(p.participantId);
    a.expectedStatus = amount <= 0 || reason.empty() || amount > refundable ? 422 : 0;
    auto view = std::make_shared<RefundView>();
    a.write = [this, p, amount, reason, view](storage::Transaction& tx) {
      *view = world_.billing().refundIn(tx, core::PaymentId(p.id), money(amount), reason, kContext);
    };
    a.onSuccess = [this, index, amount, view] {
      ModelPayment& paid = payments_[index];
      paid.refundedCents += amount;
      model_.at(paid.participantId).totals.refunds += amount;
      CHECK(startsWith(view->number, "RR-" + yearOf(world_.today()) + "-"));
      CHECK(view->paymentId.value() == paid.id);
      CHECK(view->participantId.value() == paid.participantId);
      CHECK(view->balance.cents() == balanceOf(paid.participantId));
    };
    return a;
  }

  Attempt refund() {
    if (payments_.empty()) return payment();
    std::vector<std::size_t> refundable;
    for (std::size_t i = 0; i < payments_.size(); ++i) {
      if (payments_[i].left() > 0) refundable.push_back(i);
    }
    std::size_t index = 0;
    if (!refundable.empty() && chance(80)) {
      index = refundable[static_cast<std::size_t>(pick(0, int(refundable.size()) - 1))];
    } else {
      index = static_cast<std::size_t>(pick(0, int(payments_.size()) - 1));
    }
    const std::int64_t left = payments_[index].left();
    std::int64_t amount = 0;
    if (left == 0) {
      amount = pick64(1, 5000);  // nothing left: refused
    } else if (const int r = pick(1, 100); r <= 55) {
      amount = pick64(1, left);
    } else if (r <= 80) {
      amount = left;
    } else {
      amount = left + pick64(1, 5000);  // beyond what was paid: refused
    }
    return refundOf(index, amount, "trop-perçu");
  }

  // The bank sends a payment back (a returned cheque): what is left of it
  // after its refunds is reversed, once; 409 when already returned or
  // refunded in full.
  Attempt returnedOf(std::size_t index) {
    const ModelPayment p = payments_[index];
    Attempt a;
    a.description = "returned by the bank: payment " + std::to_string(p.id) + " (" + std::to_string(p.amountCents) +
                    ", " + std::to_string(p.refundedCents) + " refunded" + (p.returned ? ", returned before" : "") +
                    ") of account " + std::to_string(p.participantId);
    a.expectedStatus = p.left() > 0 ? 0 : 409;
    auto view = std::make_shared<ReturnedView>();
    a.write = [this, p, view](storage::Transaction& tx) {
      *view = world_.billing().returnPaymentIn(tx, core::PaymentId(p.id), world_.today(), kContext);
    };
    a.onSuccess = [this, index, view] {
      ModelPayment& paid = payments_[index];
      const std::int64_t reversed = paid.left();
      paid.returned = true;
      model_.at(paid.participantId).totals.returned += reversed;
      CHECK(view->amount.cents() == reversed);
      CHECK(view->paymentId.value() == paid.id);
      CHECK(view->participantId.value() == paid.participantId);
      CHECK(view->balance.cents() == balanceOf(paid.participantId));
    };
    return a;
  }

  Attempt returned() {
    if (payments_.empty()) return payment();
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < payments_.size(); ++i) {
      if (payments_[i].left() > 0) open.push_back(i);
    }
    if (!open.empty() && chance(85)) return returnedOf(open[static_cast<std::size_t>(pick(0, int(open.size()) - 1))]);
    return returnedOf(static_cast<std::size_t>(pick(0, int(payments_.size()) - 1)));  // maybe refused
  }

  Attempt feeChange(std::int64_t id, std::int64_t newFee, std::string reason) {
    const std::int64_t fee = model_.count(id) ? model_.at(id).feeCents : 0;
    Attempt a;
    a.description = "fee of account " + std::to_string(id) + " from " + std::to_string(fee) + " to " +
                    std::to_string(newFee) + " (balance " +
                    (model_.count(id) ? std::to_string(balanceOf(id)) : std::string("none")) + ")";
    if (newFee < 0 || newFee > world_.billing().options().maxPaymentCents || reason.empty()) {
      a.expectedStatus = 422;
    } else if (!model_.count(id)) {
      a.expectedStatus = 409;
    } else if (newFee == fee) {
      a.expectedStatus = 422;
    }
    auto view = std::make_shared<FeeAdjustmentView>();
    a.write = [this, id, newFee, reason, view](storage::Transaction& tx) {
      *view = world_.billing().adjustFeeIn(tx, core::ParticipantId(id), money(newFee), reason, kContext);
    };
    a.onSuccess = [this, id, newFee, fee, view] {
      ExpectedAccount& account = model_.at(id);
      const bool reduction = newFee < fee;
      // Taxes are those of the new fee less those of the old one.
      const std::int64_t total =
          std::abs(lineTotalWithTaxes(newFee, TaxCode::gst_qst) - lineTotalWithTaxes(fee, TaxCode::gst_qst));
      (reduction ? account.totals.credits : account.totals.charges) += total;
      account.feeCents = newFee;
      CHECK(startsWith(view->document.number, (reduction ? "NC-" : "F-") + yearOf(world_.today()) + "-"));
      CHECK(view->document.total.cents() == total);
      CHECK(view->fee.cents() == newFee);
      CHECK(view->balance.cents() == balanceOf(id));
    };
    return a;
  }

  Attempt adjustment() {
    const std::int64_t id = anyAccount();
    const std::int64_t fee = model_.at(id).feeCents;
    std::int64_t newFee = 0;
    if (const int r = pick(1, 100); r <= 10) {
      newFee = fee;  // the current fee: refused
    } else if (r <= 20) {
      newFee = 0;  // waived
    } else {
      newFee = pick64(0, 120000);
    }
    return feeChange(id, newFee, "capacité de payer");
  }

  Attempt planOf(std::int64_t id, PlanRequest request) {
    Attempt a;
    const bool hasAccount = model_.count(id) > 0;
    const std::int64_t balance = hasAccount ? balanceOf(id) : 0;
    a.description = "plan of " + std::to_string(request.installments) + " " + std::string(toString(request.frequency)) +
                    " installments from " + core::formatDate(request.firstDueOn) + " on account " + std::to_string(id) +
                    " (balance " + (hasAccount ? std::to_string(balance) : std::string("none")) + ")";
    if (request.installments < 1 || request.installments > world_.billing().options().maxInstallments) {
      a.expectedStatus = 422;
    } else if (!hasAccount || balance <= 0) {
      a.expectedStatus = 409;
    }
    auto active = std::make_shared<std::vector<InstallmentView>>();
    a.write = [this, id, request, active](storage::Transaction& tx) {
      *active = world_.billing().setPaymentPlanIn(tx, core::ParticipantId(id), request, kContext);
    };
    a.onSuccess = [request, balance, active] {
      // The new installments come last: the balance in equal cents, the
      // remainder on the first, due on the plan's dates, nothing paid yet.
      const auto n = static_cast<std::size_t>(request.installments);
      REQUIRE(active->size() >= n);
      const std::int64_t share = balance / request.installments;
      const std::int64_t remainder = balance - share * request.installments;
      for (std::size_t k = 0; k < n; ++k) {
        const Installment& i = (*active)[active->size() - n + k].installment;
        INFO("new installment " << k + 1 << " of " << n << ", seq " << i.seq);
        CHECK(i.amountCents == share + (k == 0 ? remainder : 0));
        CHECK(i.paidCents == 0);
        CHECK_FALSE(i.replaced);
        CHECK(i.dueOn == expectedDueDate(request.firstDueOn, int(k), request.frequency));
      }
    };
    a.postCheck = [id, balance](const DatabaseState& state) {
      // Right after a plan, the live installments ask exactly the balance.
      CHECK(state.installments.at(id).activeOpen == balance);
    };
    return a;
  }

  Attempt plan() {
    PlanRequest request;
    request.installments = pick(1, 6);
    request.frequency = std::array{Frequency::weekly, Frequency::biweekly, Frequency::monthly}[pick(0, 2)];
    request.firstDueOn = world_.today() + date::days(pick(-10, 60));
    return planOf(anyAccount(), request);
  }

  // One thing wrong at a time, so the expected answer is unambiguous.
  Attempt invalid() {
    const std::int64_t id = anyAccount();
    switch (pick(0, 13)) {
      case 0: return recordPayment(paymentInput(id, 0), "payment of 0", 422);
      case 1: {
        const std::int64_t tooMuch = world_.billing().options().maxPaymentCents + 1;
        return recordPayment(paymentInput(id, tooMuch), "payment over the maximum", 422);
      }
      case 2: {
        PaymentInput in = paymentInput(id, 1000);
        in.method = "bitcoin";
        return recordPayment(in, "payment by an unknown method", 422);
      }
      case 3: {
        PaymentInput in = paymentInput(id, 1000);
        in.receivedOn = world_.today() + date::days(1);
        return recordPayment(in, "payment received tomorrow", 422);
      }
      case 4: return recordPayment(paymentInput(notEnrolled_, 1000), "payment of a participant not enrolled", 409);
      case 5: return recordPayment(paymentInput(999999, 1000), "payment of an unknown participant", 404);
      case 6: {
        Attempt a;
        a.description = "refund of an unknown payment";
        a.expectedStatus = 404;
        a.write = [this](storage::Transaction& tx) {
          world_.billing().refundIn(tx, core::PaymentId(999999), money(100), "x", kContext);
        };
        return a;
      }
      case 7:
        if (payments_.empty()) return recordPayment(paymentInput(id, -5), "payment of -5", 422);
        return refundOf(static_cast<std::size_t>(pick(0, int(payments_.size()) - 1)), 0, "zéro");
      case 8:
        if (payments_.empty()) return recordPayment(paymentInput(id, 0), "payment of 0", 422);
        return refundOf(static_cast<std::size_t>(pick(0, int(payments_.size()) - 1)), 1, "");
      case 9: return feeChange(id, -1, "négatif");
      case 10: return feeChange(notEnrolled_, 1000, "pas inscrit");
      case 11: {
        PlanRequest request;
        request.installments = chance(50) ? 0 : world_.billing().options().maxInstallments + 1;
        request.firstDueOn = world_.today();
        return planOf(id, request);
      }
      case 12: {
        PlanRequest request;
        request.installments = 2;
        request.firstDueOn = world_.today();
        return planOf(notEnrolled_, request);
      }
      default: {
        PaymentInput in = paymentInput(id, 1000);
        in.reference = "";
        return recordPayment(in, "payment with an empty reference", 422);
      }
    }
  }

  void perform(Attempt& attempt) {
    INFO(attempt.description);
    int status = 0;
    std::string message;
    try {
      world_.db().transact(storage::TxMode::write, attempt.write);
    } catch (const core::Error& e) {
      status = core::httpStatus(e.code());
      message = e.what();
    }
    INFO("answer: " << (status == 0 ? std::string("success") : std::to_string(status) + " " + message));
    REQUIRE(status == attempt.expectedStatus);
    const std::string operation = attempt.description.substr(attempt.description.find("): ") + 3);
    ++byOperation_[operation.substr(0, operation.find(' '))][status];
    if (status == 0) {
      ++accepted_;
      if (attempt.onSuccess) attempt.onSuccess();
    } else {
      ++rejected_;
      ++rejectedByStatus_[status];
    }
    checkEverything(attempt.description, status == 0 ? nullptr : &state_);
    if (status == 0 && attempt.postCheck) attempt.postCheck(state_);
  }

  // After every step: the identities, the numbers, and — after a rejection —
  // that nothing at all changed.
  void checkEverything(const std::string& what, const DatabaseState* before) {
    const DatabaseState previous = before ? *before : DatabaseState{};
    std::vector<std::string> problems;
    world_.db().transact(storage::TxMode::read, [&](storage::Transaction& tx) {
      state_ = readState(tx);
      problems = audit_.update(tx);
    });
    for (auto& p : ledgerProblems(state_, model_)) problems.push_back(std::move(p));
    // Not one of the identities: a step that makes live installments ask
    // more than the account owes, or more than they did, is remembered as a
    // finding, by kind of operation (see scheduleProblems).
    for (const auto& [id, installments] : state_.installments) {
      const auto totals = state_.ledger.find(id);
      const std::int64_t balance = totals == state_.ledger.end() ? 0 : totals->second.balance();
      const std::int64_t owed = std::max<std::int64_t>(0, balance);
      const std::int64_t excess = std::max<std::int64_t>(0, installments.activeOpen - owed);
      if (excess > scheduleExcess_[id]) {
        const auto colon = what.find("): ");
        const std::string operation = colon == std::string::npos ? what : what.substr(colon + 3);
        ++scheduleFindingsBy_[operation.substr(0, operation.find(' '))];
        if (scheduleFindings_.size() < 3) {
          scheduleFindings_.push_back(what + " -> account " + std::to_string(id) + ": live installments ask " +
                                      std::to_string(installments.activeOpen) + ", the balance is " +
                                      std::to_string(balance));
        }
      }
      scheduleExcess_[id] = excess;
    }
    if (before) {
      for (const auto& part : differences(previous, state_)) problems.push_back("a rejected write changed " + part);
    }
    INFO(what);
    INFO("problems:" << joined(problems));
    REQUIRE(problems.empty());
  }

  // Now and then: every document and ledger entry again from the start (the
  // step checks read each row once), each installment's paid amount against
  // its allocations, and each payment's refunds against the model.
  void checkDetails(const std::string& what) {
    std::vector<std::string> problems;
    world_.db().transact(storage::TxMode::read, [&](storage::Transaction& tx) {
      problems = DocumentAudit(world_.zone()).update(tx);
      std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> allocated;
      for (const auto& row : tx.query("SELECT p.participant_id, a.seq, SUM(a.amount_cents) FROM payment_allocations a"
                                      " JOIN payments p ON p.id = a.payment_id GROUP BY p.participant_id, a.seq")) {
        allocated[{row.int64(0), row.int64(1)}] = row.int64(2);
      }
      for (const auto& row : tx.query("SELECT participant_id, seq, paid_cents FROM installments")) {
        const auto key = std::pair(row.int64(0), row.int64(1));
        const std::int64_t net = allocated.count(key) ? allocated[key] : 0;
        if (net != row.int64(2)) {
          problems.push_back("installment " + std::to_string(key.second) + " of account " + std::to_string(key.first) +
                             ": paid " + std::to_string(row.int64(2)) + ", allocations " + std::to_string(net));
        }
        allocated.erase(key);
      }
      for (const auto& [key, net] : allocated) {
        problems.push_back("allocations of " + std::to_string(net) + " to missing installment " +
                           std::to_string(key.second) + " of account " + std::to_string(key.first));
      }
      std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> stored;  // id -> amount, refunded
      for (const auto& row :
           tx.query("SELECT p.id, p.amount_cents, (SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r"
                    " WHERE r.payment_id = p.id) FROM payments p")) {
        stored[row.int64(0)] = {row.int64(1), row.int64(2)};
      }
      if (stored.size() != payments_.size()) {
        problems.push_back(std::to_string(stored.size()) + " payments stored, " + std::to_string(payments_.size()) +
                           " in the model");
      }
      for (const auto& p : payments_) {
        const auto found = stored.find(p.id);
        if (found == stored.end() || found->second != std::pair(p.amountCents, p.refundedCents)) {
          problems.push_back("payment " + std::to_string(p.id) + " differs from the model");
        } else if (found->second.second > found->second.first) {
          problems.push_back("payment " + std::to_string(p.id) + " refunded beyond its amount");
        }
      }
    });
    INFO(what);
    INFO("problems:" << joined(problems));
    REQUIRE(problems.empty());
  }

  BillingWorld& world_;
  std::mt19937 rng_;
  DocumentAudit audit_;
  DatabaseState state_;
  std::map<std::int64_t, ExpectedAccount> model_;
  std::vector<std::int64_t> enrolled_;
  std::int64_t notEnrolled_ = 0;
  std::vector<ModelPayment> payments_;
  int accepted_ = 0, rejected_ = 0;
  std::map<std::int64_t, std::int64_t> scheduleExcess_;  // by account, after the last step
  std::vector<std::string> scheduleFindings_;            // the first few steps that caused one
  std::map<std::string, int> scheduleFindingsBy_;
  std::map<int, int> rejectedByStatus_;
  std::map<std::string, std::map<int, int>> byOperation_;
};

int stepsFor(storage::Dialect dialect) {
  if (const char* steps = std::getenv("PARCOURS_LEDGER_STEPS")) return std::max(1, std::atoi(steps));
  return dialect == storage::Dialect::sqlite ? 2000 : 1000;
}

std::int64_t count(storage::Database& db, const std::string& sql) {
  return db.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return tx.queryOne(sql)->int64(0); });
}

}  // namespace

TEST_CASE("a randomised sequence of billing operations keeps the ledger identities", "[billing-ledger]") {
  BillingWorld world(at("2027-10-01T16:00:00Z"), taxedOptions());
  const int steps = stepsFor(world.dialect());
  const auto started = std::chrono::steady_clock::now();

  RandomLedgerRun run(world, 20270316u);
  run.enrolParticipants(5);
  run.run(steps);

  const auto seconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count() /
      1000.0;
  const auto drift = run.roundingDrift();
  WARN((world.dialect() == storage::Dialect::sqlite ? "sqlite" : "mysql")
       << ": " << steps << " random operations in " << seconds << " s: " << run.summary());
  // After any number of fee changes the account holds one fee with its taxes,
  // and no step left installments asking for more than is owed.
  CHECK(joined(drift) == "");
  CHECK(run.scheduleFindings() == "");
}

TEST_CASE("a transaction that fails after taking a number gives the number back", "[billing-ledger]") {
  BillingWorld world(at("2027-06-10T15:00:00Z"), BillingOptions{});
  const std::string year = yearOf(world.today());
  const std::int64_t id = world.refer(0);
  world.enrol(id);

  PaymentInput in;
  in.participantId = core::ParticipantId(id);
  in.amount = money(12345);
  in.method = "cheque";
  in.receivedOn = world.today();
  in.reference = "CHQ-104";

  std::string taken;
  CHECK_THROWS_WITH(world.db().transact(storage::TxMode::write,
                                        [&](storage::Transaction& tx) {
                                          taken = world.billing().recordPaymentIn(tx, in, kContext).receiptNumber;
                                          throw std::runtime_error("the request failed after the payment");
                                        }),
                    "the request failed after the payment");
  CHECK(taken == "R-" + year + "-00001");  // it was taken…

  // …and nothing of it is left.
  CHECK(count(world.db(), "SELECT COUNT(*) FROM payments") == 0);
  CHECK(count(world.db(), "SELECT COUNT(*) FROM payment_allocations") == 0);
  CHECK(count(world.db(), "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payment'") == 0);
  CHECK(count(world.db(), "SELECT COUNT(*) FROM documents WHERE kind = 'receipt'") == 0);
  CHECK(count(world.db(), "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.record'") == 0);
  CHECK(count(world.db(), "SELECT COALESCE(SUM(value), 0) FROM counters WHERE name LIKE 'document:R:%'") == 0);

  const PaymentView paid = world.db().transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    return world.billing().recordPaymentIn(tx, in, kContext);
  });
  CHECK(paid.receiptNumber == "R-" + year + "-00001");

  {  // an enrolment that fails after its invoice gives the invoice number back
    const std::int64_t second = world.refer(1);
    world.afterCharge = [] { throw std::runtime_error("the enrolment failed after the invoice"); };
    CHECK_THROWS_WITH(world.enrol(second), "the enrolment failed after the invoice");
    world.afterCharge = nullptr;
    CHECK(count(world.db(), "SELECT COUNT(*) FROM accounts WHERE participant_id = " + std::to_string(second)) == 0);
    CHECK(count(world.db(), "SELECT COUNT(*) FROM documents WHERE kind = 'invoice'") == 1);
    CHECK(count(world.db(), "SELECT value FROM counters WHERE name = 'document:F:" + year + "'") == 1);

    world.participants().commit(core::ParticipantId(second), true, core::formatDate(world.today()), std::string("paper"),
                                kContext);
    const auto account = world.billing().account(core::ParticipantId(second));
    REQUIRE(account.documents.size() == 1);
    CHECK(account.documents[0].number == "F-" + year + "-00002");
  }

  DocumentAudit audit(world.zone());
  std::vector<std::string> problems;
  std::map<std::int64_t, ExpectedAccount> model;
  world.db().transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    problems = audit.update(tx);
    const DatabaseState state = readState(tx);
    for (const auto& [participant, account] : state.accounts) {
      model[participant] = {account.feeCents, {account.feeCents, 0, participant == id ? in.amount.cents() : 0, 0}};
    }
    for (auto& p : ledgerProblems(state, model)) problems.push_back(std::move(p));
  });
  INFO("problems:" << joined(problems));
  CHECK(problems.empty());
}

TEST_CASE("concurrent payments on one account get consecutive receipt numbers", "[billing-ledger]") {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  BillingWorld world(at("2027-04-20T14:00:00Z"), taxedOptions());
  const std::string year = yearOf(world.today());
  const std::int64_t id = world.refer(0);
  world.enrol(id);
  // A plan, so that the payments also race for the same installments.
  world.db().transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    world.billing().setPaymentPlanIn(tx, core::ParticipantId(id), {6, world.today(), Frequency::biweekly}, kContext);
  });

  const auto started = std::chrono::steady_clock::now();
  std::vector<std::vector<std::string>> numbers(kThreads);
  onThreads(kThreads, [&](int t) {
    for (int i = 0; i < kPerThread; ++i) {
      PaymentInput in;
      in.participantId = core::ParticipantId(id);
      in.amount = money(1000 + 7 * t + i);
      in.method = std::string(toString(kPaymentMethods[static_cast<std::size_t>((t + i) % 6)]));
      in.receivedOn = world.today();
      const PaymentView view = world.db().transact(storage::TxMode::write, [&](storage::Transaction& tx) {
        return world.billing().recordPaymentIn(tx, in, kContext);
      });
      numbers[static_cast<std::size_t>(t)].push_back(view.receiptNumber);
    }
  });
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();

  std::vector<std::string> all;
  std::int64_t paid = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) paid += 1000 + 7 * t + i;
    all.insert(all.end(), numbers[static_cast<std::size_t>(t)].begin(), numbers[static_cast<std::size_t>(t)].end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected;
  for (int n = 1; n <= kThreads * kPerThread; ++n) {
    expected.push_back(invoices::formatNumber(invoices::DocumentKind::receipt, std::stoi(year), n));
  }
  CHECK(all == expected);

  DocumentAudit audit(world.zone());
  std::vector<std::string> problems;
  DatabaseState state;
  std::map<std::int64_t, ExpectedAccount> model;
  const std::int64_t fee = world.billing().options().fee.cents();
  model[id] = {fee, {lineTotalWithTaxes(fee, TaxCode::gst_qst), 0, paid, 0}};
  world.db().transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    problems = audit.update(tx);
    state = readState(tx);
  });
  for (auto& p : ledgerProblems(state, model)) problems.push_back(std::move(p));
  INFO("problems:" << joined(problems));
  CHECK(problems.empty());
  CHECK(audit.numbers().at("R-" + year).size() == std::size_t{kThreads * kPerThread});
  CHECK(scheduleProblems(state).empty());
  CHECK(state.installments.at(id).activeOpen == 0);  // paid well beyond the plan
  CHECK(state.installments.at(id).activePaid == lineTotalWithTaxes(fee, TaxCode::gst_qst));
  WARN((world.dialect() == storage::Dialect::sqlite ? "sqlite" : "mysql")
       << ": " << kThreads * kPerThread << " concurrent payments in " << ms << " ms");
}

TEST_CASE("an amount in another currency than the account's is refused on its field", "[billing-ledger]") {
  BillingWorld world(at("2027-06-10T15:00:00Z"), BillingOptions{});
  const std::int64_t id = world.refer(0);
  world.enrol(id);  // a CAD account
  const auto fieldOfFailure = [&](const std::function<void(storage::Transaction&)>& write) {
    try {
      world.db().transact(storage::TxMode::write, write);
    } catch (const core::Error& error) {
      REQUIRE(error.code() == core::ErrorCode::unprocessable);
      REQUIRE(error.fieldErrors().size() == 1);
      return error.fieldErrors()[0].field;
    }
    return std::string("no error");
  };

  PaymentInput in;
  in.participantId = core::ParticipantId(id);
  in.amount = core::Money(1000, "EUR");
  in.method = "cash";
  in.receivedOn = world.today();
  CHECK(fieldOfFailure([&](storage::Transaction& tx) { world.billing().recordPaymentIn(tx, in, kContext); }) ==
        "amount_cents");
  CHECK(fieldOfFailure([&](storage::Transaction& tx) {
          world.billing().adjustFeeIn(tx, core::ParticipantId(id), core::Money(40000, "EUR"), "capacité de payer",
                                      kContext);
        }) == "new_fee_cents");

  in.amount = money(1000);
  const PaymentView paid = world.db().transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    return world.billing().recordPaymentIn(tx, in, kContext);
  });
  CHECK(fieldOfFailure([&](storage::Transaction& tx) {
          world.billing().refundIn(tx, paid.id, core::Money(500, "EUR"), "erreur", kContext);
        }) == "amount_cents");
  CHECK(count(world.db(), "SELECT COUNT(*) FROM payments") == 1);
  CHECK(count(world.db(), "SELECT COUNT(*) FROM refunds") == 0);
  CHECK(count(world.db(), "SELECT COUNT(*) FROM ledger_entries WHERE kind IN ('credit', 'refund')") == 0);
}
