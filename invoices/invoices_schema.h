#pragma once
// The tables of invoices — the counters behind gapless numbers, issued
// documents and their PDFs, the e-mail outbox — and the columns of invoices
// encrypted at rest.

#include <vector>

#include "identity/key_rotation.h"
#include "storage/migrations.h"

namespace parcours::invoices {

std::vector<storage::Migration> documentMigrations();
// The outbox, applied after billing (its place in the history of migrations).
std::vector<storage::Migration> outboxMigrations();
// Columns encrypted at rest that key rotation rewrites (the outbox's too).
std::vector<identity::EncryptedColumn> invoicesEncryptedColumns();

}  // namespace parcours::invoices
