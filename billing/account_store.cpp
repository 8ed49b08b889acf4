#include "billing/account_store.h"

namespace parcours::billing {

using core::ParticipantId;
using storage::id;

namespace {

Installment installmentOf(const storage::Row& row) {
  return {static_cast<int>(row.int64(0)), row.date(1), row.int64(2), row.int64(3), row.boolean(4)};
}

}  // namespace

bool AccountStore::exists(storage::Transaction& tx, ParticipantId participant) const {
  return tx.queryOne("SELECT participant_id FROM accounts WHERE participant_id = ?", {id(participant)}).has_value();
}

void AccountStore::open(storage::Transaction& tx, ParticipantId participant, const core::Money& fee,
                        core::Instant at) const {
  tx.execute("INSERT INTO accounts (participant_id, fee_cents, currency, created_at) VALUES (?, ?, ?, ?)",
             {id(participant), fee.cents(), std::string(fee.currency()), at});
}

std::optional<core::Money> AccountStore::lockFee(storage::Transaction& tx, ParticipantId participant) const {
  // The row lock is taken before anything else is read.
  const auto row = tx.queryOne(tx.dialect() == storage::Dialect::mysql
                                   ? "SELECT fee_cents, currency FROM accounts WHERE participant_id = ? FOR UPDATE"
                                   : "SELECT fee_cents, currency FROM accounts WHERE participant_id = ?",
                               {id(participant)});
  if (!row) return std::nullopt;
  return core::Money(row->int64(0), row->text(1));
}

std::optional<core::Money> AccountStore::fee(storage::Transaction& tx, ParticipantId participant) const {
  const auto row = tx.queryOne("SELECT fee_cents, currency FROM accounts WHERE participant_id = ?", {id(participant)});
  if (!row) return std::nullopt;
  return core::Money(row->int64(0), row->text(1));
}

void AccountStore::setFee(storage::Transaction& tx, ParticipantId participant, const core::Money& fee) const {
  tx.execute("UPDATE accounts SET fee_cents = ? WHERE participant_id = ?", {fee.cents(), id(participant)});
}

std::vector<Installment> AccountStore::installments(storage::Transaction& tx, ParticipantId participant) const {
  std::vector<Installment> all;
  for (const auto& row : tx.query("SELECT seq, due_on, amount_cents, paid_cents, replaced FROM installments"
                                  " WHERE participant_id = ? ORDER BY seq",
                                  {id(participant)})) {
    all.push_back(installmentOf(row));
  }
  return all;
}

void AccountStore::insertInstallment(storage::Transaction& tx, ParticipantId participant, const Installment& i) const {
  tx.execute(
      "INSERT INTO installments (participant_id, seq, due_on, amount_cents, paid_cents, replaced)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {id(participant), std::int64_t{i.seq}, i.dueOn, i.amountCents, i.paidCents, std::int64_t{i.replaced ? 1 : 0}});
}

void AccountStore::updatePlanned(storage::Transaction& tx, ParticipantId participant, const Installment& i) const {
  tx.execute("UPDATE installments SET amount_cents = ?, replaced = ? WHERE participant_id = ? AND seq = ?",
             {i.amountCents, std::int64_t{i.replaced ? 1 : 0}, id(participant), std::int64_t{i.seq}});
}

void AccountStore::addPaid(storage::Transaction& tx, ParticipantId participant, int seq, std::int64_t cents) const {
  tx.execute("UPDATE installments SET paid_cents = paid_cents + ? WHERE participant_id = ? AND seq = ?",
             {cents, id(participant), std::int64_t{seq}});
}

void AccountStore::cut(storage::Transaction& tx, ParticipantId participant, int seq, std::int64_t cents,
                       bool emptied) const {
  tx.execute(
      "UPDATE installments SET amount_cents = amount_cents - ?, replaced = ? WHERE participant_id = ? AND seq = ?",
      {cents, std::int64_t{emptied ? 1 : 0}, id(participant), std::int64_t{seq}});
}

void AccountStore::appendEntry(storage::Transaction& tx, ParticipantId participant, EntryKind kind,
                               const core::Money& amount, const std::string& documentNumber, core::Instant at) const {
  tx.execute(
      "INSERT INTO ledger_entries (participant_id, kind, amount_cents, currency, document_number, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {id(participant), std::string(toString(kind)), amount.cents(), std::string(amount.currency()), documentNumber,
       at});
}

AccountTotals AccountStore::totals(storage::Transaction& tx, ParticipantId participant) const {
  AccountTotals totals;
  for (const auto& row :
       tx.query("SELECT kind, SUM(amount_cents) FROM ledger_entries WHERE participant_id = ? GROUP BY kind",
                {id(participant)})) {
    if (const auto kind = entryKindFromString(row.text(0))) totals.add(*kind, row.int64(1));
  }
  return totals;
}

std::vector<AccountStore::Entry> AccountStore::entries(storage::Transaction& tx, ParticipantId participant) const {
  std::vector<Entry> all;
  for (const auto& row : tx.query("SELECT kind, amount_cents, currency, document_number, created_at FROM ledger_entries"
                                  " WHERE participant_id = ? ORDER BY id",
                                  {id(participant)})) {
    const auto kind = entryKindFromString(row.text(0));
    if (!kind) continue;
    all.push_back({*kind, core::Money(row.int64(1), row.text(2)), row.text(3), row.instant(4)});
  }
  return all;
}

std::vector<ParticipantId> AccountStore::withUnpaidDueBefore(storage::Transaction& tx, core::LocalDate day) const {
  std::vector<ParticipantId> ids;
  for (const auto& row : tx.query("SELECT DISTINCT participant_id FROM installments WHERE replaced = 0"
                                  " AND paid_cents < amount_cents AND due_on < ? ORDER BY participant_id",
                                  {day})) {
    ids.push_back(row.id<core::ParticipantTag>(0));
  }
  return ids;
}

std::vector<int> AccountStore::unpaidDueBefore(storage::Transaction& tx, ParticipantId participant,
                                               core::LocalDate day) const {
  std::vector<int> seqs;
  for (const auto& row : tx.query("SELECT seq FROM installments WHERE participant_id = ? AND replaced = 0"
                                  " AND paid_cents < amount_cents AND due_on < ? ORDER BY seq",
                                  {id(participant), day})) {
    seqs.push_back(static_cast<int>(row.int64(0)));
  }
  return seqs;
}

bool AccountStore::reminded(storage::Transaction& tx, ParticipantId participant, int seq, core::LocalDate day) const {
  return tx
      .queryOne("SELECT seq FROM reminders WHERE participant_id = ? AND seq = ? AND reminded_on = ?",
                {id(participant), std::int64_t{seq}, day})
      .has_value();
}

void AccountStore::recordReminder(storage::Transaction& tx, ParticipantId participant, int seq,
                                  core::LocalDate day) const {
  tx.execute("INSERT INTO reminders (participant_id, seq, reminded_on) VALUES (?, ?, ?)",
             {id(participant), std::int64_t{seq}, day});
}

}  // namespace parcours::billing
