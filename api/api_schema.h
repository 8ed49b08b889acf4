#pragma once
// The tables of the HTTP layer — durable Idempotency-Key records — and its
// columns encrypted at rest.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::api {

std::vector<storage::Migration> idempotencyMigrations();
// Columns encrypted at rest that key rotation rewrites.
std::vector<identity::EncryptedColumn> apiEncryptedColumns();

}  // namespace parcours::api
