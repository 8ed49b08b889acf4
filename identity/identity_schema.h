#pragma once
// Tables of the identity module: users, tokens, audit_log.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::identity {

std::vector<storage::Migration> identityMigrations();
// The encrypted columns of identity tables (for key rotation).
std::vector<EncryptedColumn> identityEncryptedColumns();

}  // namespace parcours::identity
