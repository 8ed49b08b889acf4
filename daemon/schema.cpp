#include "daemon/schema.h"

#include "api/api_schema.h"
#include "billing/billing_schema.h"
#include "finance/finance_schema.h"
#include "identity/identity_schema.h"
#include "invoices/invoices_schema.h"
#include "participants/participant_schema.h"
#include "research/research_schema.h"
#include "scheduler/scheduler_schema.h"

namespace parcours::daemon {

std::vector<storage::Migration> allMigrations() {
  std::vector<storage::Migration> all;
  for (auto& m : identity::identityMigrations()) all.push_back(std::move(m));
  for (auto& m : participants::participantMigrations()) all.push_back(std::move(m));
  for (auto& m : scheduler::schedulerMigrations()) all.push_back(std::move(m));
  for (auto& m : invoices::documentMigrations()) all.push_back(std::move(m));
  for (auto& m : billing::billingMigrations()) all.push_back(std::move(m));
  for (auto& m : invoices::outboxMigrations()) all.push_back(std::move(m));
  for (auto& m : finance::financeMigrations()) all.push_back(std::move(m));
  for (auto& m : api::idempotencyMigrations()) all.push_back(std::move(m));
  for (auto& m : research::researchMigrations()) all.push_back(std::move(m));
  return all;
}

std::vector<identity::EncryptedColumn> allEncryptedColumns() {
  auto all = identity::identityEncryptedColumns();
  for (auto& c : participants::participantEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : billing::billingEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : invoices::invoicesEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : scheduler::schedulerEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : api::apiEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : finance::financeEncryptedColumns()) all.push_back(std::move(c));
  for (auto& c : research::researchEncryptedColumns()) all.push_back(std::move(c));
  return all;
}

}  // namespace parcours::daemon
