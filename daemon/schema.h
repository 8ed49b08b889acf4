#pragma once
// The whole schema: every module's migrations, in dependency order. A module
// that lands adds its list here; ids never change once released.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::daemon {

std::vector<storage::Migration> allMigrations();

// Every encrypted column of every module (key rotation walks them all).
std::vector<identity::EncryptedColumn> allEncryptedColumns();

}  // namespace parcours::daemon
