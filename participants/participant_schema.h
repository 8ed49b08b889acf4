#pragma once
// Tables of the participants module.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::participants {

std::vector<storage::Migration> participantMigrations();
// The encrypted columns of participant tables (for key rotation).
std::vector<identity::EncryptedColumn> participantEncryptedColumns();

}  // namespace parcours::participants
