#pragma once
// AccountStore — the SQL of billing's accounts: the `accounts` row (the
// per-participant lock and the current fee), the installments of the
// payment plan, the append-only ledger and the reminders sent. Rows in,
// typed values out; no rules here (installments.h, schedule_rules.h,
// fees.h hold them).
//
// Every method runs inside the caller's transaction.

#include <optional>
#include <vector>

#include "billing/installments.h"
#include "billing/ledger.h"
#include "core/id.h"
#include "core/money.h"
#include "storage/database.h"

namespace parcours::billing {

class AccountStore {
 public:
  bool exists(storage::Transaction& tx, core::ParticipantId participant) const;
  void open(storage::Transaction& tx, core::ParticipantId participant, const core::Money& fee, core::Instant at) const;
  // Locks the account row (FOR UPDATE on MariaDB; SQLite's write
  // transactions already exclude each other) and returns the current fee;
  // nullopt when the participant has no account.
  std::optional<core::Money> lockFee(storage::Transaction& tx, core::ParticipantId participant) const;
  // The current fee, without a lock (for reads); nullopt when none.
  std::optional<core::Money> fee(storage::Transaction& tx, core::ParticipantId participant) const;
  void setFee(storage::Transaction& tx, core::ParticipantId participant, const core::Money& fee) const;

  // Every installment of the account (replaced ones included), by seq.
  std::vector<Installment> installments(storage::Transaction& tx, core::ParticipantId participant) const;
  void insertInstallment(storage::Transaction& tx, core::ParticipantId participant, const Installment& i) const;
  // Stores a replanned installment's amount and replaced flag.
  void updatePlanned(storage::Transaction& tx, core::ParticipantId participant, const Installment& i) const;
  // paid_cents += cents (negative to reopen).
  void addPaid(storage::Transaction& tx, core::ParticipantId participant, int seq, std::int64_t cents) const;
  // amount_cents −= cents; `emptied` marks it replaced.
  void cut(storage::Transaction& tx, core::ParticipantId participant, int seq, std::int64_t cents, bool emptied) const;

  void appendEntry(storage::Transaction& tx, core::ParticipantId participant, EntryKind kind, const core::Money& amount,
                   const std::string& documentNumber, core::Instant at) const;
  // The ledger summed by kind.
  AccountTotals totals(storage::Transaction& tx, core::ParticipantId participant) const;

  struct Entry {
    EntryKind kind;
    core::Money amount;
    std::string documentNumber;
    core::Instant at;
  };
  // The ledger in order of entry.
  std::vector<Entry> entries(storage::Transaction& tx, core::ParticipantId participant) const;
  // Participants with a live installment not fully paid and due before `day`.
  std::vector<core::ParticipantId> withUnpaidDueBefore(storage::Transaction& tx, core::LocalDate day) const;
  // Seqs of that participant's live installments not fully paid and due before `day`.
  std::vector<int> unpaidDueBefore(storage::Transaction& tx, core::ParticipantId participant,
                                   core::LocalDate day) const;

  // Reminders of overdue installments: one row per installment and day.
  bool reminded(storage::Transaction& tx, core::ParticipantId participant, int seq, core::LocalDate day) const;
  // Throws storage::ConstraintViolation when a concurrent run recorded it first.
  void recordReminder(storage::Transaction& tx, core::ParticipantId participant, int seq, core::LocalDate day) const;
};

}  // namespace parcours::billing
