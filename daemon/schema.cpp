#include "daemon/schema.h"

#include "api/idempotency.h"
#include "billing/billing_mail.h"
#include "billing/billing_service.h"
#include "identity/identity_schema.h"
#include "invoices/document_store.h"
#include "invoices/outbox.h"
#include "participants/participant_schema.h"
#include "scheduler/scheduler_schema.h"

namespace parcours::daemon {

std::vector<storage::Migration> allMigrations() {
  std::vector<storage::Migration> all;
  // Counters hand out gapless numbers (documents, per year): a row is
  // locked and bumped in the transaction that uses the number.
  all.push_back({"core/0001_counters",
                 {"CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"},
                 {"CREATE TABLE IF NOT EXISTS counters (name VARCHAR(191) NOT NULL PRIMARY KEY, "
                  "value BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}});
  for (auto& m : identity::identityMigrations()) all.push_back(std::move(m));
  for (auto& m : participants::participantMigrations()) all.push_back(std::move(m));
  for (auto& m : scheduler::schedulerMigrations()) all.push_back(std::move(m));
  for (auto& m : invoices::documentMigrations()) all.push_back(std::move(m));
  for (auto& m : billing::billingMigrations()) all.push_back(std::move(m));
  for (auto& m : billing::billingMailMigrations()) all.push_back(std::move(m));
  for (auto& m : invoices::outboxMigrations()) all.push_back(std::move(m));
  for (auto& m : api::idempotencyMigrations()) all.push_back(std::move(m));
  return all;
}

std::vector<identity::EncryptedColumn> allEncryptedColumns() {
  auto all = identity::identityEncryptedColumns();
  for (auto& c : participants::participantEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : billing::billingEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : scheduler::schedulerEncryptedColumns()) all.push_back(std::move(c));
  all.push_back({"idempotency_keys", "response_enc", "idempotency_keys.response"});
  all.push_back({"document_pdfs", "pdf_enc", "document_pdfs.pdf"});
  all.push_back({"email_outbox", "recipient_enc", "email_outbox.recipient"});
  return all;
}

}  // namespace parcours::daemon
