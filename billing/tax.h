#pragma once
// Sales taxes on a fee line (docs/domain.md "Money"): each tax is computed on the
// line and rounded half-up to the cent on its own — pure.

#include <cstdint>
#include <optional>
#include <string_view>

namespace parcours::billing {

enum class TaxCode { exempt, gst_qst, out_of_scope };

std::string_view toString(TaxCode code);
std::optional<TaxCode> taxCodeFromString(std::string_view text);

// Rates in parts per 100 000: GST 5 % and QST 9.975 %.
inline constexpr std::int64_t kGstRate = 5000;
inline constexpr std::int64_t kQstRate = 9975;

struct LineTaxes {
  std::int64_t gstCents = 0;
  std::int64_t qstCents = 0;
  std::int64_t total() const { return gstCents + qstCents; }
};

// Taxes of one line of `amountCents` (negative for a credit line: rounded
// half away from zero, so a credit mirrors its invoice exactly).
LineTaxes taxesOf(std::int64_t amountCents, TaxCode code);

// amount × rate / 100 000, rounded half away from zero.
std::int64_t roundedShare(std::int64_t amountCents, std::int64_t ratePer100k);

}  // namespace parcours::billing
