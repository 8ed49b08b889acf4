#include "billing/tax.h"

namespace parcours::billing {

std::string_view toString(TaxCode code) {
  switch (code) {
    case TaxCode::exempt: return "exempt";
    case TaxCode::gst_qst: return "gst_qst";
    case TaxCode::out_of_scope: return "out_of_scope";
  }
  return "exempt";
}

std::optional<TaxCode> taxCodeFromString(std::string_view text) {
  for (const auto code : {TaxCode::exempt, TaxCode::gst_qst, TaxCode::out_of_scope}) {
    if (toString(code) == text) return code;
  }
  return std::nullopt;
}

std::int64_t roundedShare(std::int64_t amountCents, std::int64_t ratePer100k) {
  const std::int64_t product = amountCents * ratePer100k;  // fee amounts are far below overflow
  const std::int64_t half = 50000;
  return product >= 0 ? (product + half) / 100000 : -((-product + half) / 100000);
}

LineTaxes taxesOf(std::int64_t amountCents, TaxCode code) {
  if (code != TaxCode::gst_qst) return {};
  return {roundedShare(amountCents, kGstRate), roundedShare(amountCents, kQstRate)};
}

}  // namespace parcours::billing
