#pragma once
// A change of a participant's program fee (docs/domain.md "Money") — pure.

#include "billing/tax.h"
#include "core/money.h"

namespace parcours::billing {

struct FeeChangePlan {
  bool reduction = false;  // a credit note; else an invoice
  core::Money difference;  // |new − current|, before taxes
  LineTaxes taxes;         // of the difference, as described below
  core::Money total;       // difference + taxes: the document's total
};

// The document that moves the fee from `current` to `next`. Its taxes are
// the taxes of the new fee less those of the old one, not the taxes of the
// difference: rounded per fee, so that after any number of changes the
// account holds exactly one fee with its taxes as an invoice would show.
// REQUIRES: same currency; next != current.
FeeChangePlan planFeeChange(const core::Money& current, const core::Money& next, TaxCode code);

}  // namespace parcours::billing
