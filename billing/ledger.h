#pragma once
// The account of one participant: an append-only list of entries (docs/domain.md
// "Money"). Corrections are new entries; the balance is derived, never stored.

#include <cstdint>
#include <optional>
#include <string_view>

namespace parcours::billing {

enum class EntryKind { charge, credit, payment, refund, returned };
std::string_view toString(EntryKind kind);
std::optional<EntryKind> entryKindFromString(std::string_view text);

struct AccountTotals {
  std::int64_t chargesCents = 0;
  std::int64_t creditsCents = 0;
  std::int64_t paymentsCents = 0;
  std::int64_t refundsCents = 0;
  std::int64_t returnedCents = 0;  // payments the bank sent back (a returned cheque, NSF)

  // balance = charges − credits − payments + refunds + returned; negative is
  // a credit in the participant's favour.
  std::int64_t balance() const { return chargesCents - creditsCents - paymentsCents + refundsCents + returnedCents; }
  void add(EntryKind kind, std::int64_t cents);
};

}  // namespace parcours::billing
