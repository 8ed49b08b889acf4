#include "program/completion_service.h"

#include "core/error.h"
#include "identity/audit_log.h"
#include "invoices/document_contents.h"
#include "participants/completion.h"
#include "participants/lifecycle.h"

namespace parcours::program {

using core::Error;
using core::ErrorCode;

namespace {

// ["a","b"] for a problem member.
std::string jsonArrayOf(const std::vector<std::string>& codes) {
  std::string out = "[";
  for (const auto& code : codes) out += (out.size() > 1 ? "," : "") + core::jsonQuote(code);
  return out + "]";
}

participants::CompletionFacts completionFacts(const scheduler::TherapyRecord& record, std::int64_t balanceCents) {
  participants::CompletionFacts facts;
  facts.awarenessDayAttended = record.awarenessDayAttendedOn.has_value();
  facts.sessionsAttended = record.sessionsAttended;
  facts.sessionsMissed = record.sessionsMissed;
  facts.sessionsPending = record.sessionsPending;
  facts.balanceCents = balanceCents;
  return facts;
}

invoices::AttestationContent attestationContent(const participants::ParticipantView& participant,
                                                const scheduler::TherapyRecord& record, core::LocalDate completedOn) {
  invoices::AttestationContent attestation;
  attestation.participant = {participant.code, participant.givenName, participant.familyName, participant.address,
                             participant.language};
  attestation.referredOn = participant.referredOn;
  attestation.completedOn = completedOn;
  attestation.sessionsAttended = record.sessionsAttended;
  attestation.awarenessDayOn = record.awarenessDayAttendedOn;
  return attestation;
}

// The participant's attestation, issued at completion; nullopt before.
std::optional<invoices::DocumentView> attestationOf(storage::Transaction& tx, const invoices::DocumentStore& documents,
                                                    core::ParticipantId id) {
  invoices::DocumentFilter filter;
  filter.participantId = id;
  filter.kind = invoices::DocumentKind::attestation;
  filter.limit = 1;
  auto rows = documents.list(tx, filter);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front().view);
}

}  // namespace

CompletionService::CompletionService(storage::Database& database, const participants::ParticipantService& participants,
                                     const scheduler::SchedulingService& scheduling,
                                     const billing::BillingService& billing, const invoices::DocumentStore& documents,
                                     const core::Clock& clock, const date::time_zone& programZone)
    : database_(database),
      participants_(participants),
      scheduling_(scheduling),
      billing_(billing),
      documents_(documents),
      clock_(clock),
      programZone_(programZone) {}

Completion CompletionService::completeIn(storage::Transaction& tx, core::ParticipantId id,
                                         const identity::AuditContext& context) const {
  // The row first: parallel completions wait here, then read the status.
  participants_.lockIn(tx, id);  // 404 when unknown
  const auto before = participants_.detailsIn(tx, id);
  if (before.status != participants::Status::in_therapy) {
    // The lifecycle's own 409 names the current status.
    participants::apply(before.status, participants::Transition::complete);
  }
  const auto record = scheduling_.therapyRecordIn(tx, id);
  const auto unmet =
      participants::unmetCompletionCriteria(completionFacts(record, billing_.totalsIn(tx, id).balance()));
  if (!unmet.empty()) {
    throw Error(ErrorCode::conflict, "the completion criteria are not met")
        .withMember("unmet", jsonArrayOf(unmet))
        .withMember("current_status", core::jsonQuote("in_therapy"));
  }
  auto after = participants_.completeIn(tx, id, context);
  const auto now = clock_.now();
  invoices::NewDocument document;
  document.kind = invoices::DocumentKind::attestation;
  document.participantId = id;
  document.total = core::Money::zero(billing_.options().fee.currency());
  document.contentJson =
      invoices::toJson(attestationContent(before, record, core::localDateOf(now, programZone_)));
  const auto issued = documents_.issueDocument(tx, document, now);
  identity::recordAudit(
      tx, {context.actorUserId, "attestation.issue", "participant", id.toString(), context.requestId, issued.number},
      now);
  return Completion{std::move(after), issued.number};
}

std::string CompletionService::attestationPdf(core::ParticipantId id, const identity::AuditContext& context) const {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    participants_.summaryIn(tx, id);  // 404 when unknown
    const auto attestation = attestationOf(tx, documents_, id);
    if (!attestation) throw Error(ErrorCode::not_found, "no attestation: the participant has not completed");
    identity::recordAudit(
        tx,
        {context.actorUserId, "document.read", "participant", id.toString(), context.requestId, attestation->number},
        clock_.now());
    auto bytes = documents_.pdf(tx, attestation->number);
    if (!bytes) throw Error(ErrorCode::unavailable, "the attestation's PDF is not rendered yet");
    return std::move(*bytes);
  });
}

}  // namespace parcours::program
