#include "billing/ledger.h"

namespace parcours::billing {

std::string_view toString(EntryKind kind) {
  switch (kind) {
    case EntryKind::charge: return "charge";
    case EntryKind::credit: return "credit";
    case EntryKind::payment: return "payment";
    case EntryKind::refund: return "refund";
    case EntryKind::returned: return "returned";
  }
  return "charge";
}

std::optional<EntryKind> entryKindFromString(std::string_view text) {
  for (const auto k : {EntryKind::charge, EntryKind::credit, EntryKind::payment, EntryKind::refund,
                       EntryKind::returned}) {
    if (toString(k) == text) return k;
  }
  return std::nullopt;
}

void AccountTotals::add(EntryKind kind, std::int64_t cents) {
  switch (kind) {
    case EntryKind::charge: chargesCents += cents; break;
    case EntryKind::credit: creditsCents += cents; break;
    case EntryKind::payment: paymentsCents += cents; break;
    case EntryKind::refund: refundsCents += cents; break;
    case EntryKind::returned: returnedCents += cents; break;
  }
}

}  // namespace parcours::billing
