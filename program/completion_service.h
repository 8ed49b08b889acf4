#pragma once
// CompletionService — closing a participant's file as completed (docs/domain.md
// "Participant lifecycle"), a workflow over four modules run in the caller's
// one transaction:
//   1. lock the participant's row (parallel completions run one after the other),
//   2. gather the facts of the criteria: the therapy record (scheduler) and the
//      account's balance (billing), and decide with participants/completion.h,
//   3. move in_therapy → completed (participants),
//   4. issue the attestation of completion (invoices) and audit it.
// Either all of it commits or nothing does.

#include <string>

#include "billing/billing_service.h"
#include "core/id.h"
#include "core/time.h"
#include "identity/identity_service.h"
#include "invoices/document_store.h"
#include "participants/participant_service.h"
#include "scheduler/scheduling_service.h"
#include "storage/database.h"

namespace parcours::program {

struct Completion {
  participants::ParticipantView participant;  // as it is after completion
  std::string attestationNumber;
};

class CompletionService {
 public:
  // REQUIRES: every argument outlives this.
  CompletionService(storage::Database& database, const participants::ParticipantService& participants,
                    const scheduler::SchedulingService& scheduling, const billing::BillingService& billing,
                    const invoices::DocumentStore& documents, const core::Clock& clock,
                    const date::time_zone& programZone);

  // Completes the participant inside `tx` (a write transaction). Errors:
  // 404 when unknown; 409 with "current_status" when not in therapy (the
  // lifecycle's own), or with "unmet" (the codes of
  // participants::unmetCompletionCriteria) and "current_status" when the
  // criteria are not met.
  Completion completeIn(storage::Transaction& tx, core::ParticipantId id, const identity::AuditContext& context) const;

  // The attestation's PDF, its read audited. 404 when the participant is
  // unknown or has not completed; 503 when the PDF is not rendered yet.
  std::string attestationPdf(core::ParticipantId id, const identity::AuditContext& context) const;

 private:
  storage::Database& database_;
  const participants::ParticipantService& participants_;
  const scheduler::SchedulingService& scheduling_;
  const billing::BillingService& billing_;
  const invoices::DocumentStore& documents_;
  const core::Clock& clock_;
  const date::time_zone& programZone_;
};

}  // namespace parcours::program
