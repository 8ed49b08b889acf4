#pragma once
// Tables of the identity module: users, tokens, audit_log.

#include <vector>

#include "storage/migrations.h"

namespace parcours::identity {

std::vector<storage::Migration> identityMigrations();

}  // namespace parcours::identity
