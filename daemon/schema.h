#pragma once
// The whole schema: every module's migrations, in dependency order. A module
// that lands adds its list here; ids never change once released.

#include <vector>

#include "storage/migrations.h"

namespace parcours::daemon {

std::vector<storage::Migration> allMigrations();

}  // namespace parcours::daemon
