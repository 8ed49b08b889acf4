#pragma once
// What route handlers need from the domain, wired by the daemon.

#include "api/access.h"
#include "api/idempotency.h"
#include "billing/billing_mail.h"
#include "billing/billing_service.h"
#include "finance/csv_profiles.h"
#include "finance/reconciliation_service.h"
#include "identity/identity_service.h"
#include "identity/login_throttle.h"
#include "participants/participant_service.h"
#include "program/completion_service.h"
#include "scheduler/awareness_days.h"
#include "scheduler/practitioner_service.h"
#include "scheduler/scheduling_service.h"
#include "storage/database.h"

namespace parcours::api {

struct AppContext {
  storage::Database& database;
  identity::IdentityService& identity;
  identity::LoginThrottle& throttle;
  participants::ParticipantService& participants;
  scheduler::PractitionerService& practitioners;
  scheduler::SchedulingService& scheduling;
  scheduler::AwarenessDayService& awarenessDays;
  billing::BillingService& billing;
  finance::ReconciliationService& reconciliation;
  // The CSV bank profiles: Desjardins, RBC and the configured generic ones.
  const std::vector<finance::CsvProfile>& bankProfiles;
  program::CompletionService& completion;
  invoices::DocumentStore& documents;
  billing::BillingMail& mail;
  invoices::Outbox& outbox;
  IdempotentWrites& idempotent;
  const core::Clock& clock;
  const date::time_zone& programZone;
  AccessResolver access;
  // Tells the outbox sender that an e-mail was queued (after commit).
  std::function<void()> wakeOutbox;
};

// The audit context of a request: its caller and request id.
identity::AuditContext auditContextOf(const Request& request);

// Registers every route of the identity module (auth, users, audit).
void addIdentityRoutes(Router& router, AppContext& app);
// Registers the participant routes.
void addParticipantRoutes(Router& router, AppContext& app);
// Registers the practitioner routes.
void addPractitionerRoutes(Router& router, AppContext& app);
// Registers therapy plans and sessions.
void addSchedulingRoutes(Router& router, AppContext& app);
// Registers availability, time off, slots, calendar feeds and closures.
void addCalendarRoutes(Router& router, AppContext& app);
// Registers awareness days and their seats.
void addAwarenessDayRoutes(Router& router, AppContext& app);
// Registers accounts, payment plans, payments, refunds, fee adjustments and documents.
void addBillingRoutes(Router& router, AppContext& app);
// Registers bank statements, bank lines, deposits and period close.
void addFinanceRoutes(Router& router, AppContext& app);
// Registers the finance reports (aging, deposits, outstanding, revenue, taxes, reconciliation, journal).
void addReportRoutes(Router& router, AppContext& app);
// Registers completion and the attestation.
void addCompletionRoutes(Router& router, AppContext& app);
// Registers document downloads (JSON, PDF), statements, sending and reminders.
void addDocumentRoutes(Router& router, AppContext& app);

// Path parameter {name} as a positive integer id; 404 otherwise.
std::int64_t idParam(const Request& request, const std::string& name = "id");
// The same as a typed id: pathId<core::ParticipantId>(request).
template <class TypedId>
TypedId pathId(const Request& request, const std::string& name = "id") {
  return TypedId(idParam(request, name));
}
// ?limit= (default 50, 1..500).
int limitParam(const Request& request);
// A ?cursor= value (an id); 400 otherwise.
std::int64_t cursorParam(const std::string& text);

}  // namespace parcours::api
