#pragma once
// ParticipantService — referral, eligibility, commitment, withdrawal and
// reads of participant files. Each operation is one transaction that loads,
// decides with the pure rules (lifecycle, eligibility, referral), writes,
// and records the audit entry. Personal fields are encrypted before they
// reach the store; reads of them are audited.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "identity/identity_service.h"
#include "identity/key_file_cipher.h"
#include "identity/keyed_hash.h"
#include "participants/eligibility.h"
#include "participants/lifecycle.h"
#include "participants/referral.h"
#include "storage/database.h"

namespace parcours::participants {

struct ParticipantView {
  core::ParticipantId id{0};
  std::string code;
  Status status = Status::referred;
  std::string language;
  std::string givenName, familyName;
  core::LocalDate birthDate;
  std::optional<std::string> email, phone, address;
  std::string referralSource, referralReference;
  core::LocalDate referredOn;
  std::optional<core::LocalDate> offenceOn;
  std::optional<std::string> prosecutorDecision;
  std::optional<bool> offenceInvolvedMinor, historyOfViolence;
  std::vector<std::string> ineligibilityReasons;
  std::optional<core::LocalDate> commitmentSignedOn;
  std::optional<std::string> commitmentMethod;
  bool researchConsent = false;  // given with the commitment; default no
  std::optional<core::Instant> withdrawnAt;
  core::Instant createdAt;
  core::Instant updatedAt;
  // Set once retention anonymised the file: givenName is then the code (what
  // documents and statements print), familyName, contact details, address,
  // reference and free text are empty, and birthDate is 1 January of the
  // birth year (all that is kept of it).
  std::optional<core::Instant> anonymisedAt;
};

struct EligibilityDecision {
  ProsecutorDecision decision = ProsecutorDecision::ineligible;
  bool offenceInvolvedMinor = false;
  bool historyOfViolence = false;
  std::optional<std::string> notes;
};

struct ListFilter {
  std::optional<std::int64_t> afterId;  // cursor
  int limit = 50;
  // Only these participants (a practitioner's own); nullopt: everyone.
  std::optional<std::vector<core::ParticipantId>> onlyIds;
};

class ParticipantService {
 public:
  ParticipantService(storage::Database& database, const identity::KeyFileCipher& cipher,
                     const identity::KeyedHasher& lookup, const core::Clock& clock, const date::time_zone& zone);

  ParticipantView refer(const ReferralInput& input, const identity::AuditContext& context);
  ParticipantView decideEligibility(core::ParticipantId id, const EligibilityDecision& decision,
                                    const identity::AuditContext& context);
  ParticipantView commit(core::ParticipantId id, std::optional<bool> acknowledged,
                         const std::optional<std::string>& signedOn, const std::optional<std::string>& method,
                         const identity::AuditContext& context, bool researchConsent = false);
  // in_therapy → completed, inside the caller's transaction, once the caller
  // has checked the completion criteria (participants/completion.h).
  ParticipantView completeIn(storage::Transaction& tx, core::ParticipantId id,
                             const identity::AuditContext& context) const;
  // The same inside a caller's transaction (an idempotent request's).
  ParticipantView commitIn(storage::Transaction& tx, core::ParticipantId id, std::optional<bool> acknowledged,
                           const std::optional<std::string>& signedOn, const std::optional<std::string>& method,
                           const identity::AuditContext& context, bool researchConsent = false) const;
  ParticipantView withdraw(core::ParticipantId id, const std::string& reason, const identity::AuditContext& context);

  // A read of personal data: audited. 404 when unknown.
  ParticipantView get(core::ParticipantId id, const identity::AuditContext& context);
  std::vector<ParticipantView> list(const ListFilter& filter, const identity::AuditContext& context);
  bool exists(core::ParticipantId id);

  // For other modules, inside their own transaction (never their tables):
  // the status and code of a participant (404 when unknown), and the move
  // enrolled → in_therapy when a first therapy plan is placed.
  struct Summary {
    Status status;
    std::string code;
    std::string language;
  };
  Summary summaryIn(storage::Transaction& tx, core::ParticipantId id) const;
  // Locks the participant's row for the rest of the caller's transaction by
  // writing it (version + 1): a status transition calls it BEFORE reading
  // the status, so two transitions of one participant run one after the
  // other, on any number of daemons (and nodes: the write conflicts at
  // commit). 404 when unknown.
  void lockIn(storage::Transaction& tx, core::ParticipantId id) const;
  // The whole record, decrypted, for a module that prints it on a document
  // inside its own audited transaction. 404 when unknown.
  ParticipantView detailsIn(storage::Transaction& tx, core::ParticipantId id) const { return load(tx, id); }

  // Runs inside the commitment's transaction once the participant is
  // enrolled (billing charges the fee and issues the invoice there), so the
  // enrolment and what it causes commit together or not at all.
  using EnrolmentHook =
      std::function<void(storage::Transaction&, core::ParticipantId id, const identity::AuditContext&)>;
  void onEnrolled(EnrolmentHook hook) { enrolmentHook_ = std::move(hook); }
  void startTherapyIn(storage::Transaction& tx, core::ParticipantId id, const identity::AuditContext& context) const;

 private:
  ParticipantView load(storage::Transaction& tx, core::ParticipantId id) const;
  ParticipantView transition(core::ParticipantId id, Transition transition, const identity::AuditContext& context,
                             const std::function<void(storage::Transaction&, const ParticipantView&)>& write);
  ParticipantView transitionIn(storage::Transaction& tx, core::ParticipantId id, Transition transition,
                               const identity::AuditContext& context,
                               const std::function<void(storage::Transaction&, const ParticipantView&)>& write) const;
  core::LocalDate today() const;

  storage::Database& database_;
  const identity::KeyFileCipher& cipher_;
  const identity::KeyedHasher& lookup_;
  const core::Clock& clock_;
  const date::time_zone& zone_;
  EnrolmentHook enrolmentHook_;
};

}  // namespace parcours::participants
