#pragma once
// Tables of the scheduling module.

#include <vector>

#include "storage/migrations.h"

namespace parcours::scheduler {

std::vector<storage::Migration> schedulerMigrations();

}  // namespace parcours::scheduler
