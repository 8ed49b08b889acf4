#pragma once
// Tables of the scheduling module.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::scheduler {

std::vector<storage::Migration> schedulerMigrations();

// The module's encrypted columns, for key rotation.
std::vector<identity::EncryptedColumn> schedulerEncryptedColumns();

}  // namespace parcours::scheduler
