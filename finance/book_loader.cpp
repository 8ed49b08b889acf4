#include "finance/book_loader.h"

#include <map>

#include "billing/ledger.h"
#include "storage/filters.h"

namespace parcours::finance {

namespace {

constexpr int kPaymentWindowDays = 7;
constexpr int kDepositWindowDays = 5;
// Runs `sql` (ending in "IN (") over `values`, then `suffix` (storage/filters.h).
template <class Each>
void inBatches(storage::Transaction& tx, const std::string& sql, const std::vector<storage::Value>& values,
               const Each& each, const std::string& suffix = {}) {
  storage::queryInBatches(tx, sql, values, suffix, each);
}

template <class Set>
std::vector<storage::Value> valuesOf(const Set& set) {
  return std::vector<storage::Value>(set.begin(), set.end());
}

void loadAccounts(storage::Transaction& tx, MatchingBook& book, const std::map<std::int64_t, std::string>& codeById) {
  std::vector<storage::Value> ids;
  for (const auto& [participantId, code] : codeById) {
    ids.emplace_back(participantId);
    book.accountsByCode[code] = BookAccount{core::ParticipantId(participantId), code, 0, {}};
  }
  std::map<std::int64_t, billing::AccountTotals> totals;
  inBatches(tx,
            "SELECT participant_id, kind, SUM(amount_cents) FROM ledger_entries WHERE participant_id IN (", ids,
            [&](const storage::Row& row) {
              if (const auto kind = billing::entryKindFromString(row.text(1))) {
                totals[row.int64(0)].add(*kind, row.int64(2));
              }
            },
            " GROUP BY participant_id, kind");
  for (const auto& [participantId, t] : totals) book.accountsByCode[codeById.at(participantId)].owedCents = t.balance();
  inBatches(tx,
            "SELECT participant_id, seq, due_on, amount_cents - paid_cents FROM installments"
            " WHERE replaced = 0 AND paid_cents < amount_cents AND participant_id IN (",
            ids, [&](const storage::Row& row) {
              book.accountsByCode[codeById.at(row.int64(0))].installments.push_back(
                  {static_cast<int>(row.int64(1)), row.date(2), row.int64(3)});
            });
}

constexpr const char* kLoosePayments =
    "SELECT p.id, p.participant_id, p.method, p.received_on, p.amount_cents, p.receipt_number FROM payments p"
    " WHERE NOT EXISTS (SELECT 1 FROM bank_line_payments b WHERE b.payment_id = p.id)"
    " AND NOT EXISTS (SELECT 1 FROM deposit_payments d WHERE d.payment_id = p.id)"
    " AND NOT EXISTS (SELECT 1 FROM returned_payments r WHERE r.payment_id = p.id)";

LoosePayment looseOf(const storage::Row& row) {
  return {row.id<core::PaymentTag>(0),
          row.id<core::ParticipantTag>(1),
          billing::paymentMethodFromString(row.text(2)).value_or(billing::PaymentMethod::cash),
          row.date(3),
          row.int64(4),
          row.text(5)};
}

}  // namespace

MatchingBook loadBook(storage::Transaction& tx, const BookRequest& request) {
  MatchingBook book;
  std::map<std::int64_t, std::string> codeById;
  inBatches(tx, "SELECT id, code FROM participants WHERE code IN (", valuesOf(request.participantCodes),
            [&](const storage::Row& row) { codeById[row.int64(0)] = row.text(1); });
  std::map<std::string, std::vector<std::int64_t>> aliasParticipants;
  inBatches(tx, "SELECT alias_key, participant_id FROM payer_aliases WHERE alias_key IN (",
            valuesOf(request.aliasKeys),
            [&](const storage::Row& row) { aliasParticipants[row.text(0)].push_back(row.int64(1)); });
  std::vector<storage::Value> aliasIds;
  for (const auto& [key, ids] : aliasParticipants) {
    for (const auto participantId : ids) aliasIds.emplace_back(participantId);
  }
  inBatches(tx, "SELECT id, code FROM participants WHERE id IN (", aliasIds,
            [&](const storage::Row& row) { codeById[row.int64(0)] = row.text(1); });
  inBatches(tx,
            "SELECT d.number, p.id, p.code FROM documents d JOIN participants p ON p.id = d.participant_id"
            " WHERE d.kind = 'invoice' AND d.number IN (",
            valuesOf(request.documentNumbers), [&](const storage::Row& row) {
              book.invoiceOwners[row.text(0)] = row.text(2);
              codeById[row.int64(1)] = row.text(2);
            });
  loadAccounts(tx, book, codeById);
  for (const auto& [key, ids] : aliasParticipants) {
    for (const auto participantId : ids) {
      if (const auto code = codeById.find(participantId); code != codeById.end()) {
        book.payersByAlias[key].push_back(code->second);
      }
    }
  }

  std::set<std::int64_t> seen;
  for (const auto& row : tx.query(std::string(kLoosePayments) + " AND p.received_on >= ? AND p.received_on <= ?",
                                  {request.earliest - date::days{kPaymentWindowDays},
                                   request.latest + date::days{kPaymentWindowDays}})) {
    if (seen.insert(row.int64(0)).second) book.loosePayments.push_back(looseOf(row));
  }
  inBatches(tx, std::string(kLoosePayments) + " AND p.receipt_number IN (", valuesOf(request.documentNumbers),
            [&](const storage::Row& row) {
              if (seen.insert(row.int64(0)).second) book.loosePayments.push_back(looseOf(row));
            });
  for (const auto& row :
       tx.query("SELECT d.id, d.deposited_on, d.total_cents - d.fee_cents FROM deposits d"
                " WHERE d.deposited_on >= ? AND d.deposited_on <= ?"
                " AND NOT EXISTS (SELECT 1 FROM bank_lines l WHERE l.deposit_id = d.id)",
                {request.earliest - date::days{kDepositWindowDays}, request.latest + date::days{kDepositWindowDays}})) {
    book.deposits.push_back({row.id<core::DepositTag>(0), row.date(1), row.int64(2)});
  }
  return book;
}

}  // namespace parcours::finance
