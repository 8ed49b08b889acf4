#pragma once
// Services — the domain services of one daemon process, built from settings
// over an open database: keys, cipher, identity, throttle, participants.

#include <memory>

#include "api/app_context.h"
#include "daemon/settings.h"
#include "daemon/test_clock.h"
#include "identity/key_file_cipher.h"
#include "identity/keyed_hash.h"
#include "identity/login_throttle.h"
#include "invoices/document_layouts.h"
#include "invoices/document_store.h"
#include "invoices/mailer.h"
#include "invoices/outbox.h"
#include "research/research_service.h"
#include "retention/daily_retention.h"
#include "retention/retention_service.h"

namespace parcours::daemon {

class Services {
 public:
  // Loads (or creates) the key files named by the settings.
  Services(const Settings& settings, storage::Database& database);

  api::AppContext& app() { return app_; }

  // Start-up and background work of a serving daemon: keys the digests
  // stored plain before they were keyed, encrypts cancellation and time-off
  // reasons stored in clear, renders the PDFs of documents issued before PDFs
  // existed, then starts the outbox sender and the daily retention run
  // (retention.run_daily).
  void startBackground(storage::Database& database);
  void stopBackground() {
    dailyRetention_.stop();
    sender_.stop();
  }
  identity::IdentityService& identity() { return identity_; }
  research::ResearchService& research() { return research_; }
  retention::RetentionService& retention() { return retention_; }

 private:
  TestableClock clock_;  // the system clock unless testing.clock_offset_file is set
  identity::KeyFileCipher cipher_;
  identity::KeyedHasher lookup_;
  identity::KeyedHasher digests_;  // keyed digests of stored content (its own key)
  identity::IdentityService identity_;
  identity::LoginThrottle throttle_;
  participants::ParticipantService participants_;
  scheduler::PractitionerService practitioners_;
  scheduler::SchedulingService scheduling_;
  scheduler::AwarenessDayService awarenessDays_;
  invoices::Letterhead letterhead_;
  invoices::DocumentStore documents_;
  billing::BillingService billing_;
  std::vector<finance::CsvProfile> bankProfiles_;
  finance::ReconciliationService reconciliation_;
  invoices::Outbox outbox_;
  invoices::SmtpMailer mailer_;
  billing::BillingMail mail_;
  invoices::OutboxSender sender_;
  api::IdempotentWrites idempotent_;
  program::CompletionService completion_;
  api::AppContext app_;
  research::ResearchService research_;
  retention::RetentionService retention_;
  retention::DailyRetention dailyRetention_;
  bool runRetentionDaily_;
};

}  // namespace parcours::daemon
