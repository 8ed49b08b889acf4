#pragma once
// Tables of the participants module.

#include <vector>

#include "storage/migrations.h"

namespace parcours::participants {

std::vector<storage::Migration> participantMigrations();

}  // namespace parcours::participants
