#pragma once
// The finance module's tables: imported statements and their bank lines,
// matches, deposits and learned payer names.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::finance {

std::vector<storage::Migration> financeMigrations();
// Columns sealed with the field cipher (for key rotation).
std::vector<identity::EncryptedColumn> financeEncryptedColumns();

}  // namespace parcours::finance
