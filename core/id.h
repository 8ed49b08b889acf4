#pragma once
// core::Id<Tag> — the id of one kind of record. A ParticipantId and a
// SessionId are different types, so passing one for the other, or swapping
// two ids in a call, does not compile. The value is the database's integer
// key; it is shown to clients as a decimal string.

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace parcours::core {

template <class Tag>
class Id {
 public:
  constexpr explicit Id(std::int64_t value) noexcept : value_(value) {}

  constexpr std::int64_t value() const noexcept { return value_; }
  std::string toString() const { return std::to_string(value_); }

  constexpr auto operator<=>(const Id&) const = default;

 private:
  std::int64_t value_;
};

// One tag per entity; the aliases below are what signatures use.
struct UserTag;
struct TokenTag;
struct ParticipantTag;
struct PractitionerTag;
struct SessionTag;
struct PlanTag;
struct GroupSessionTag;
struct PaymentTag;
struct RefundTag;
struct InstallmentTag;
struct DocumentTag;
struct OutboxTag;
struct DepositTag;
struct BankLineTag;
struct StatementTag;

using UserId = Id<UserTag>;
using TokenId = Id<TokenTag>;
using ParticipantId = Id<ParticipantTag>;
using PractitionerId = Id<PractitionerTag>;
using SessionId = Id<SessionTag>;
using PlanId = Id<PlanTag>;
using GroupSessionId = Id<GroupSessionTag>;
using PaymentId = Id<PaymentTag>;
using RefundId = Id<RefundTag>;
using InstallmentId = Id<InstallmentTag>;
using DocumentId = Id<DocumentTag>;
using OutboxId = Id<OutboxTag>;
using DepositId = Id<DepositTag>;
using BankLineId = Id<BankLineTag>;
using StatementId = Id<StatementTag>;

// An optional typed id from an optional key (a nullable column, an optional
// field): optionalId<UserId>(row.optInt64(3)).
template <class TypedId>
std::optional<TypedId> optionalId(const std::optional<std::int64_t>& value) {
  return value ? std::optional<TypedId>(TypedId(*value)) : std::nullopt;
}

}  // namespace parcours::core

template <class Tag>
struct std::hash<parcours::core::Id<Tag>> {
  std::size_t operator()(const parcours::core::Id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
