#pragma once
// The tables of invoices — the counters behind gapless numbers, issued
// documents and their PDFs (the outbox's are in outbox.h) — and the columns
// of invoices encrypted at rest.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::invoices {

std::vector<storage::Migration> documentMigrations();
// Columns encrypted at rest that key rotation rewrites (the outbox's too).
std::vector<identity::EncryptedColumn> invoicesEncryptedColumns();

}  // namespace parcours::invoices
