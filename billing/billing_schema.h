#pragma once
// Billing's tables — accounts, the ledger, installments, payments, their
// allocations, refunds and reminders — and its encrypted columns. The
// daemon applies these with every other module's, in its list's order.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::billing {

std::vector<storage::Migration> billingMigrations();
// Columns encrypted at rest that key rotation rewrites.
std::vector<identity::EncryptedColumn> billingEncryptedColumns();

}  // namespace parcours::billing
