#include "ledger_world.h"

#include <stdlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <charconv>
#include <sstream>

#include "daemon/schema.h"
#include "identity/secret_file.h"
#include "storage/migrations.h"

namespace parcours::billing::ledger_test {

namespace {

std::string str(std::int64_t n) {
  return std::to_string(n);
}

std::string entryKindOfDocument(const std::string& documentKind) {
  if (documentKind == "invoice") return "charge";
  if (documentKind == "credit_note") return "credit";
  if (documentKind == "receipt") return "payment";
  if (documentKind == "refund_receipt") return "refund";
  return "";  // attestations carry no money
}

std::string prefixOfKind(const std::string& documentKind) {
  if (documentKind == "invoice") return "F";
  if (documentKind == "credit_note") return "NC";
  if (documentKind == "receipt") return "R";
  if (documentKind == "refund_receipt") return "RR";
  if (documentKind == "attestation") return "A";
  return "?";
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t toInt(std::string_view s) {
  std::int64_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

}  // namespace

BillingWorld::BillingWorld(core::Instant start, BillingOptions options)
    : clock_(start), zone_(core::findZone("America/Toronto")) {
  std::string pattern = (std::filesystem::temp_directory_path() / "parcours-ledger-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  folder_ = pattern;
  storage::migrate(db(), daemon::allMigrations());
  cipher_ = std::make_unique<identity::KeyFileCipher>((folder_ / "keys" / "fields.keys").string());
  lookup_ = std::make_unique<identity::KeyedHasher>(identity::loadOrCreateSecret((folder_ / "lookup.key").string()));
  digests_ = std::make_unique<identity::KeyedHasher>(identity::loadOrCreateSecret((folder_ / "digest.key").string()));
  documents_ = std::make_unique<invoices::DocumentStore>(*cipher_, *digests_, zone_);
  participants_ = std::make_unique<participants::ParticipantService>(db(), *cipher_, *lookup_, clock_, zone_);
  billing_ =
      std::make_unique<BillingService>(db(), *documents_, *participants_, *cipher_, clock_, zone_, std::move(options));
  // As daemon/services.cpp wires it: enrolment charges the fee in its transaction.
  participants_->onEnrolled([this](storage::Transaction& tx, core::ParticipantId id,
                                   const identity::AuditContext& context) {
    billing_->chargeFeeIn(tx, id, context);
    if (afterCharge) afterCharge();
  });
}

BillingWorld::~BillingWorld() {
  billing_.reset();
  participants_.reset();
  documents_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

std::int64_t BillingWorld::refer(int n) {
  participants::ReferralInput in;
  in.givenName = "Camille";
  in.familyName = "Grand-Livre" + std::string(1, static_cast<char>('A' + n % 26)) + str(n);
  in.birthDate = "1981-02-" + std::string(n % 28 + 1 < 10 ? "0" : "") + str(n % 28 + 1);
  in.address = "1 rue Saint-Charles\nLongueuil QC";
  in.reference = "DPCP-LEDGER-" + str(n);
  in.referredOn = core::formatDate(today() - date::days(20));
  return participants_->refer(in, kContext).id.value();
}

void BillingWorld::enrol(std::int64_t id) {
  participants::EligibilityDecision decision;
  decision.decision = participants::ProsecutorDecision::eligible;
  REQUIRE(participants_->decideEligibility(core::ParticipantId(id), decision, kContext).status ==
          participants::Status::eligible);
  participants_->commit(core::ParticipantId(id), true, core::formatDate(today() - date::days(1)), std::string("paper"), kContext);
}

DatabaseState readState(storage::Transaction& tx) {
  DatabaseState s;
  for (const auto& row : tx.query("SELECT participant_id, kind, SUM(amount_cents), COUNT(*) FROM ledger_entries GROUP "
                                  "BY participant_id, kind")) {
    Totals& t = s.ledger[row.int64(0)];
    const std::string kind = row.text(1);
    const std::int64_t cents = row.int64(2);
    if (kind == "charge") {
      t.charges += cents;
    } else if (kind == "credit") {
      t.credits += cents;
    } else if (kind == "payment") {
      t.payments += cents;
    } else if (kind == "refund") {
      t.refunds += cents;
    } else if (kind == "returned") {
      t.returned += cents;
      s.returnedEntries += row.int64(3);
    } else {
      t.charges += 1'000'000'000'000;  // an unknown kind: bound to be reported
    }
    s.ledgerRows += row.int64(3);
  }
  for (const auto& row : tx.query("SELECT kind, SUM(total_cents), COUNT(*) FROM documents GROUP BY kind")) {
    s.documents[row.text(0)] = {row.int64(1), row.int64(2)};
    s.documentRows += row.int64(2);
  }
  for (const auto& row :
       tx.query("SELECT participant_id, SUM(amount_cents), COUNT(*) FROM payments GROUP BY participant_id")) {
    s.payments[row.int64(0)] = {row.int64(1), row.int64(2)};
  }
  for (const auto& row :
       tx.query("SELECT participant_id, SUM(amount_cents), COUNT(*) FROM refunds GROUP BY participant_id")) {
    s.refunds[row.int64(0)] = {row.int64(1), row.int64(2)};
  }
  for (const auto& row : tx.query("SELECT p.participant_id, SUM(r.amount_cents), COUNT(*) FROM returned_payments r"
                                  " JOIN payments p ON p.id = r.payment_id GROUP BY p.participant_id")) {
    s.returned[row.int64(0)] = {row.int64(1), row.int64(2)};
  }
  for (const auto& row : tx.query("SELECT p.participant_id, SUM(a.amount_cents) FROM payment_allocations a"
                                  " JOIN payments p ON p.id = a.payment_id GROUP BY p.participant_id")) {
    s.allocations[row.int64(0)] = row.int64(1);
  }
  s.allocationRows = tx.queryOne("SELECT COUNT(*) FROM payment_allocations")->int64(0);
  for (const auto& row : tx.query("SELECT participant_id, COUNT(*),"
                                  " SUM(CASE WHEN replaced = 0 THEN paid_cents ELSE 0 END),"
                                  " SUM(CASE WHEN replaced = 0 THEN amount_cents - paid_cents ELSE 0 END),"
                                  " SUM(paid_cents),"
                                  " SUM(CASE WHEN paid_cents > amount_cents THEN 1 ELSE 0 END),"
                                  " SUM(CASE WHEN paid_cents < 0 OR amount_cents < 0 THEN 1 ELSE 0 END),"
                                  " SUM(CASE WHEN replaced <> 0 AND paid_cents <> 0 THEN 1 ELSE 0 END)"
                                  " FROM installments GROUP BY participant_id")) {
    s.installments[row.int64(0)] = {row.int64(1), row.int64(2), row.int64(3), row.int64(4),
                                    row.int64(5), row.int64(6), row.int64(7)};
  }
  for (const auto& row : tx.query("SELECT name, value FROM counters")) s.counters[row.text(0)] = row.int64(1);
  for (const auto& row : tx.query("SELECT participant_id, fee_cents, currency FROM accounts")) {
    s.accounts[row.int64(0)] = {row.int64(1), row.text(2)};
  }
  s.auditRows = tx.queryOne("SELECT COUNT(*) FROM audit_log")->int64(0);
  return s;
}

std::vector<std::string> differences(const DatabaseState& a, const DatabaseState& b) {
  std::vector<std::string> out;
  const auto note = [&](bool same, const char* what) {
    if (!same) out.emplace_back(what);
  };
  note(a.ledger == b.ledger, "ledger_entries sums");
  note(a.ledgerRows == b.ledgerRows, "ledger_entries rows");
  note(a.documents == b.documents, "documents sums");
  note(a.documentRows == b.documentRows, "documents rows");
  note(a.payments == b.payments, "payments");
  note(a.refunds == b.refunds, "refunds");
  note(a.returned == b.returned, "returned");
  note(a.allocations == b.allocations, "payment_allocations sums");
  note(a.allocationRows == b.allocationRows, "payment_allocations rows");
  note(a.installments == b.installments, "installments");
  note(a.counters == b.counters, "counters");
  note(a.accounts == b.accounts, "accounts");
  note(a.auditRows == b.auditRows, "audit_log rows");
  return out;
}

std::vector<std::string> ledgerProblems(const DatabaseState& state,
                                        const std::map<std::int64_t, ExpectedAccount>& expected) {
  std::vector<std::string> problems;
  const auto problem = [&](std::int64_t id, const std::string& text) {
    problems.push_back("account " + str(id) + ": " + text);
  };
  for (const auto& [id, totals] : state.ledger) {
    if (!expected.count(id)) problem(id, "has ledger entries but the model has no account");
  }
  for (const auto& [id, account] : state.accounts) {
    if (!expected.count(id)) problem(id, "has an accounts row but the model has no account");
  }
  Totals all;
  for (const auto& [id, want] : expected) {
    const auto found = state.ledger.find(id);
    const Totals got = found == state.ledger.end() ? Totals{} : found->second;
    if (!(got == want.totals)) {
      std::ostringstream text;
      text << "ledger charges/credits/payments/refunds/returned " << got.charges << "/" << got.credits << "/"
           << got.payments << "/" << got.refunds << "/" << got.returned << " (balance " << got.balance() << "), model "
           << want.totals.charges << "/" << want.totals.credits << "/" << want.totals.payments << "/"
           << want.totals.refunds << "/" << want.totals.returned << " (balance " << want.totals.balance() << ")";
      problem(id, text.str());
    }
    all.charges += got.charges;
    all.credits += got.credits;
    all.payments += got.payments;
    all.refunds += got.refunds;

    const auto account = state.accounts.find(id);
    if (account == state.accounts.end()) {
      problem(id, "no accounts row");
    } else if (account->second.feeCents != want.feeCents) {
      problem(id, "fee_cents " + str(account->second.feeCents) + ", model " + str(want.feeCents));
    }
    const auto pay = state.payments.find(id);
    const Sum payments = pay == state.payments.end() ? Sum{} : pay->second;
    if (payments.cents != got.payments) {
      problem(id, "payments table sums " + str(payments.cents) + ", ledger payments " + str(got.payments));
    }
    const auto ref = state.refunds.find(id);
    const Sum refunds = ref == state.refunds.end() ? Sum{} : ref->second;
    if (refunds.cents != got.refunds) {
      problem(id, "refunds table sums " + str(refunds.cents) + ", ledger refunds " + str(got.refunds));
    }
    const auto ret = state.returned.find(id);
    const Sum returned = ret == state.returned.end() ? Sum{} : ret->second;
    if (returned.cents != got.returned) {
      problem(id, "returned_payments table sums " + str(returned.cents) + ", ledger returned " + str(got.returned));
    }
    const auto inst = state.installments.find(id);
    const InstallmentSums installments = inst == state.installments.end() ? InstallmentSums{} : inst->second;
    const auto alloc = state.allocations.find(id);
    const std::int64_t allocated = alloc == state.allocations.end() ? 0 : alloc->second;
    if (allocated != installments.paid) {
      problem(id, "payment_allocations net " + str(allocated) + ", installments paid " + str(installments.paid));
    }
    if (installments.overpaid != 0) problem(id, str(installments.overpaid) + " installment(s) with paid > amount");
    if (installments.negative != 0) problem(id, str(installments.negative) + " installment(s) with a negative amount");
    if (installments.replacedWithPaid != 0) {
      problem(id, str(installments.replacedWithPaid) + " replaced installment(s) still holding money");
    }
    if (installments.activePaid > got.payments - got.refunds - got.returned) {
      problem(id, "live installments paid " + str(installments.activePaid) + " > payments - refunds - returned " +
                      str(got.payments - got.refunds - got.returned));
    }
  }
  const auto docs = [&](const char* kind) {
    const auto d = state.documents.find(kind);
    return d == state.documents.end() ? Sum{} : d->second;
  };
  const auto compare = [&](const char* entry, std::int64_t ledger, const char* kind) {
    if (ledger != docs(kind).cents) {
      problems.push_back(std::string("all accounts: ledger ") + entry + " " + str(ledger) + " != " + kind +
                         " documents " + str(docs(kind).cents));
    }
  };
  compare("charges", all.charges, "invoice");
  compare("credits", all.credits, "credit_note");
  compare("payments", all.payments, "receipt");
  compare("refunds", all.refunds, "refund_receipt");
  const std::int64_t moneyDocuments =
      docs("invoice").count + docs("credit_note").count + docs("receipt").count + docs("refund_receipt").count;
  if (moneyDocuments != state.ledgerRows - state.returnedEntries) {
    problems.push_back("all accounts: " + str(state.ledgerRows - state.returnedEntries) +
                       " ledger entries (returned ones aside) for " + str(moneyDocuments) +
                       " invoices, credit notes, receipts and refund receipts");
  }
  return problems;
}

std::vector<std::string> scheduleProblems(const DatabaseState& state) {
  std::vector<std::string> problems;
  for (const auto& [id, installments] : state.installments) {
    const auto found = state.ledger.find(id);
    const std::int64_t balance = found == state.ledger.end() ? 0 : found->second.balance();
    if (installments.activeOpen > std::max<std::int64_t>(0, balance)) {
      problems.push_back("account " + str(id) + ": live installments still ask " + str(installments.activeOpen) +
                         " but the balance is " + str(balance));
    }
  }
  return problems;
}

std::vector<std::string> DocumentAudit::update(storage::Transaction& tx) {
  std::vector<std::string> problems;
  for (const auto& row :
       tx.query("SELECT id, number, kind, year, issued_at, participant_id, total_cents FROM documents WHERE id > ?"
                " ORDER BY id",
                {lastDocumentId_})) {
    lastDocumentId_ = row.int64(0);
    ++documents_;
    const std::string number = row.text(1);
    const std::string kind = row.text(2);
    // PREFIX-YYYY-NNNNN
    const auto first = number.find('-');
    const auto second = first == std::string::npos ? std::string::npos : number.find('-', first + 1);
    if (second == std::string::npos || second != first + 5 || number.size() != second + 6 ||
        !allDigits(std::string_view(number).substr(first + 1, 4)) ||
        !allDigits(std::string_view(number).substr(second + 1))) {
      problems.push_back("document number '" + number + "' is not PREFIX-YYYY-NNNNN");
      continue;
    }
    const std::string prefix = number.substr(0, first);
    const std::int64_t year = toInt(std::string_view(number).substr(first + 1, 4));
    const std::int64_t sequence = toInt(std::string_view(number).substr(second + 1));
    if (prefix != prefixOfKind(kind))
      problems.push_back(number + " is a " + kind + " (prefix " + prefixOfKind(kind) + ")");
    if (year != row.int64(3)) problems.push_back(number + " is stored with year " + str(row.int64(3)));
    const auto issuedYear = static_cast<int>(date::year_month_day{core::localDateOf(row.instant(4), zone_)}.year());
    if (year != issuedYear) {
      problems.push_back(number + " was issued at " + core::formatInstant(row.instant(4), zone_) + ", in year " +
                         str(issuedYear) + " of the program zone");
    }
    if (sequence < 1) problems.push_back(number + " has sequence 0");
    if (!numbers_[prefix + "-" + str(year)].insert(sequence).second) problems.push_back(number + " issued twice");
    kindOfNumber_[number] = kind;
  }
  for (const auto& row :
       tx.query("SELECT l.id, l.kind, l.amount_cents, l.participant_id, l.document_number, d.kind, d.total_cents,"
                " d.participant_id FROM ledger_entries l LEFT JOIN documents d ON d.number = l.document_number"
                " WHERE l.id > ? ORDER BY l.id",
                {lastEntryId_})) {
    lastEntryId_ = row.int64(0);
    ++entries_;
    const std::string number = row.text(4);
    const std::string what = "ledger entry " + str(row.int64(0)) + " (" + row.text(1) + " " + str(row.int64(2)) +
                             " of account " + str(row.int64(3)) + ", " + number + ")";
    if (row.isNull(5)) {
      problems.push_back(what + ": no such document");
      continue;
    }
    if (row.text(1) == "returned") {
      // It reverses the payment of its receipt: once, for no more than the receipt.
      if (!returnedReceipts_.insert(number).second) problems.push_back(what + ": the receipt was returned twice");
      if (row.text(5) != "receipt") problems.push_back(what + ": the document is a " + row.text(5));
      if (row.int64(2) <= 0 || row.int64(2) > row.int64(6)) {
        problems.push_back(what + ": the receipt's total is " + str(row.int64(6)));
      }
      if (row.int64(7) != row.int64(3)) problems.push_back(what + ": the receipt is of account " + str(row.int64(7)));
      continue;
    }
    if (!numbersInLedger_.insert(number).second) problems.push_back(what + ": a second entry for the document");
    if (entryKindOfDocument(row.text(5)) != row.text(1))
      problems.push_back(what + ": the document is a " + row.text(5));
    if (row.int64(6) != row.int64(2)) problems.push_back(what + ": the document's total is " + str(row.int64(6)));
    if (row.int64(7) != row.int64(3)) problems.push_back(what + ": the document is of account " + str(row.int64(7)));
  }
  const std::int64_t documentRows = tx.queryOne("SELECT COUNT(*) FROM documents")->int64(0);
  const std::int64_t entryRows = tx.queryOne("SELECT COUNT(*) FROM ledger_entries")->int64(0);
  if (documentRows != documents_) {
    problems.push_back(str(documentRows) + " documents stored, " + str(documents_) + " seen (one disappeared?)");
  }
  if (entryRows != entries_) {
    problems.push_back(str(entryRows) + " ledger entries stored, " + str(entries_) + " seen (one disappeared?)");
  }
  std::map<std::string, std::int64_t> counters;
  for (const auto& row : tx.query("SELECT name, value FROM counters WHERE name LIKE 'document:%'")) {
    counters[row.text(0)] = row.int64(1);
  }
  for (const auto& [key, sequences] : numbers_) {
    const auto n = static_cast<std::int64_t>(sequences.size());
    if (*sequences.begin() != 1 || *sequences.rbegin() != n) {
      std::ostringstream text;
      text << key << " holds " << n << " numbers from " << *sequences.begin() << " to " << *sequences.rbegin()
           << ": not exactly 1.." << n;
      problems.push_back(text.str());
    }
    const std::string counter = "document:" + key.substr(0, key.find('-')) + ":" + key.substr(key.find('-') + 1);
    const auto found = counters.find(counter);
    if (found == counters.end() || found->second != n) {
      problems.push_back("counter " + counter + " is " +
                         (found == counters.end() ? std::string("missing") : str(found->second)) + ", " + str(n) +
                         " numbers issued");
    }
    counters.erase(counter);
  }
  for (const auto& [name, value] : counters) {
    if (value != 0) problems.push_back("counter " + name + " is " + str(value) + " but no such document exists");
  }
  return problems;
}

std::int64_t lineTotalWithTaxes(std::int64_t cents, TaxCode code) {
  if (code != TaxCode::gst_qst) return cents;
  // 5 % and 9.975 %, each rounded half-up to the cent on the line.
  const std::int64_t gst = (cents * 5 * 1000 + 50'000) / 100'000;
  const std::int64_t qst = (cents * 9'975 + 50'000) / 100'000;
  return cents + gst + qst;
}

}  // namespace parcours::billing::ledger_test
