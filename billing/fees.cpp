#include "billing/fees.h"

namespace parcours::billing {

FeeChangePlan planFeeChange(const core::Money& current, const core::Money& next, TaxCode code) {
  const bool reduction = next < current;
  const core::Money difference = reduction ? current - next : next - current;
  const LineTaxes before = taxesOf(current.cents(), code);
  const LineTaxes after = taxesOf(next.cents(), code);
  const LineTaxes taxes = reduction ? LineTaxes{before.gstCents - after.gstCents, before.qstCents - after.qstCents}
                                    : LineTaxes{after.gstCents - before.gstCents, after.qstCents - before.qstCents};
  return {reduction, difference, taxes, difference + core::Money(taxes.total(), difference.currency())};
}

}  // namespace parcours::billing
