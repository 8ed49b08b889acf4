#pragma once
// Tables of the research module: studies (each with its sealed key) and the
// export log, which is also the register of anonymised data released.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::research {

std::vector<storage::Migration> researchMigrations();
// The study keys, sealed with the field cipher (for key rotation).
std::vector<identity::EncryptedColumn> researchEncryptedColumns();

}  // namespace parcours::research
