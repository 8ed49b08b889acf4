#include "participants/participant_service.h"

#include <algorithm>
#include <cstring>

#include "identity/audit_log.h"
#include "identity/secure_random.h"
#include "participants/eligibility.h"
#include "participants/pseudonym.h"
#include "participants/text_rules.h"

namespace parcours::participants {

using core::Error;
using core::ErrorCode;
using storage::Blob;
using storage::Value;

namespace {

constexpr const char* kColumns =
    "id, code, status, language, given_name_enc, family_name_enc, birth_date_enc, email_enc, phone_enc, address_enc,"
    " referral_source, referral_reference_enc, referred_on, offence_on, prosecutor_decision, offence_involved_minor,"
    " history_of_violence, ineligibility_reasons, commitment_signed_on, commitment_method, withdrawn_at, created_at,"
    " updated_at, research_consent, anonymised_at";

std::uint32_t random32() {
  const std::string bytes = identity::randomBytes(4);
  std::uint32_t value = 0;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

// An anonymised file keeps "YYYY" of the birth date: 1 January of that year.
core::LocalDate birthYearOnly(const std::string& year) {
  return core::parseDate(year.substr(0, 4) + "-01-01");
}

}  // namespace

ParticipantService::ParticipantService(storage::Database& database, const identity::KeyFileCipher& cipher,
                                       const identity::KeyedHasher& lookup, const core::Clock& clock,
                                       const date::time_zone& zone)
    : database_(database), cipher_(cipher), lookup_(lookup), clock_(clock), zone_(zone) {}

core::LocalDate ParticipantService::today() const {
  return core::localDateOf(clock_.now(), zone_);
}

ParticipantView ParticipantService::refer(const ReferralInput& input, const identity::AuditContext& context) {
  const Referral r = validateReferral(input, today());
  const std::string birth = core::formatDate(r.birthDate);
  const std::string personKey = identity::personLookupKey(lookup_, r.givenName, r.familyName, birth);
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    std::string code = newParticipantCode(random32);
    while (tx.queryOne("SELECT id FROM participants WHERE code = ?", {code})) code = newParticipantCode(random32);
    const Blob placeholder;  // the encrypted fields are sealed below, once the row has its id
    tx.execute(
        "INSERT INTO participants (code, status, language, given_name_enc, family_name_enc, birth_date_enc, email_enc,"
        " phone_enc, address_enc, referral_source, referral_reference_enc, referred_on, offence_on, person_key,"
        " created_at, created_by, updated_at) VALUES (?, 'referred', ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?,"
        " ?, ?)",
        {code, r.language, placeholder, placeholder, placeholder, r.source, placeholder, core::formatDate(r.referredOn),
         r.offenceOn ? Value(core::formatDate(*r.offenceOn)) : Value(storage::Null{}), personKey, now,
         storage::optional(context.actorUserId), now});
    const core::ParticipantId id(tx.lastInsertId());
    const auto encrypt = [&](const std::string& text, const char* column) {
      return Value(Blob{cipher_.encrypt(text, std::string("participants.") + column, id.value())});
    };
    const auto encryptOptional = [&](const std::optional<std::string>& text, const char* column) {
      return text ? encrypt(*text, column) : Value(storage::Null{});
    };
    tx.execute(
        "UPDATE participants SET given_name_enc = ?, family_name_enc = ?, birth_date_enc = ?, email_enc = ?,"
        " phone_enc = ?, address_enc = ?, referral_reference_enc = ? WHERE id = ?",
        {encrypt(r.givenName, "given_name"), encrypt(r.familyName, "family_name"), encrypt(birth, "birth_date"),
         encryptOptional(r.email, "email"), encryptOptional(r.phone, "phone"), encryptOptional(r.address, "address"),
         encrypt(r.reference, "referral_reference"), storage::id(id)});
    identity::recordAudit(
        tx,
        {context.actorUserId, "participant.create", "participant", id.toString(), context.requestId, "code=" + code},
        now);
    return load(tx, id);
  });
}

ParticipantView ParticipantService::transition(
    core::ParticipantId id, Transition step, const identity::AuditContext& context,
    const std::function<void(storage::Transaction&, const ParticipantView&)>& write) {
  return database_.transact(storage::TxMode::write,
                            [&](storage::Transaction& tx) { return transitionIn(tx, id, step, context, write); });
}

ParticipantView ParticipantService::transitionIn(
    storage::Transaction& tx, core::ParticipantId id, Transition step, const identity::AuditContext& context,
    const std::function<void(storage::Transaction&, const ParticipantView&)>& write) const {
  const auto now = clock_.now();
  lockIn(tx, id);  // before the status is read: a concurrent transition waits here
  const ParticipantView before = load(tx, id);
  const Status after = apply(before.status, step);  // 409 with current_status when illegal
  write(tx, before);
  tx.execute("UPDATE participants SET status = ?, updated_at = ? WHERE id = ?",
             {std::string(toString(after)), now, storage::id(id)});
  identity::recordAudit(
      tx,
      {context.actorUserId, "participant." + std::string(toString(step)), "participant", id.toString(),
       context.requestId, std::string(toString(before.status)) + "->" + std::string(toString(after))},
      now);
  return load(tx, id);
}

ParticipantView ParticipantService::decideEligibility(core::ParticipantId id, const EligibilityDecision& decision,
                                                      const identity::AuditContext& context) {
  if (decision.notes && (decision.notes->size() > 4000 || !isValidUtf8(*decision.notes))) {
    throw Error(ErrorCode::unprocessable, "must be valid UTF-8 of at most 4000 bytes", "notes");
  }
  // The outcome depends on stored data (earlier participation), so it is
  // decided inside the transaction; the transition follows the outcome.
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    lockIn(tx, id);
    const ParticipantView before = load(tx, id);
    const auto keyRow = tx.queryOne("SELECT person_key FROM participants WHERE id = ?", {storage::id(id)});
    const bool earlier =
        tx.queryOne("SELECT id FROM participants WHERE person_key = ? AND id <> ? AND ever_enrolled = 1",
                    {keyRow->text(0), storage::id(id)})
            .has_value();
    const EligibilityOutcome outcome = participants::decideEligibility(
        EligibilityInput{decision.decision == ProsecutorDecision::eligible, decision.offenceInvolvedMinor,
                         decision.historyOfViolence, earlier});
    const Status after =
        apply(before.status, outcome.eligible ? Transition::decide_eligible : Transition::decide_ineligible);
    tx.execute(
        "UPDATE participants SET status = ?, prosecutor_decision = ?, offence_involved_minor = ?,"
        " history_of_violence = ?, ineligibility_reasons = ?, eligibility_notes_enc = ?, eligibility_by = ?,"
        " eligibility_at = ?, updated_at = ? WHERE id = ?",
        {std::string(toString(after)), std::string(toString(decision.decision)),
         std::int64_t{decision.offenceInvolvedMinor}, std::int64_t{decision.historyOfViolence},
         outcome.reasons.empty() ? Value(storage::Null{}) : Value(joined(outcome.reasons)),
         decision.notes ? Value(Blob{cipher_.encrypt(*decision.notes, "participants.eligibility_notes", id.value())})
                        : Value(storage::Null{}),
         storage::optional(context.actorUserId), now, now, storage::id(id)});
    identity::recordAudit(tx,
                          {context.actorUserId, "participant.eligibility", "participant", id.toString(),
                           context.requestId, std::string(toString(after)) + " " + joined(outcome.reasons)},
                          now);
    return load(tx, id);
  });
}

ParticipantView ParticipantService::commit(core::ParticipantId id, std::optional<bool> acknowledged,
                                           const std::optional<std::string>& signedOn,
                                           const std::optional<std::string>& method,
                                           const identity::AuditContext& context, bool researchConsent) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    return commitIn(tx, id, acknowledged, signedOn, method, context, researchConsent);
  });
}

ParticipantView ParticipantService::commitIn(storage::Transaction& tx, core::ParticipantId id,
                                             std::optional<bool> acknowledged,
                                             const std::optional<std::string>& signedOn,
                                             const std::optional<std::string>& method,
                                             const identity::AuditContext& context, bool researchConsent) const {
  return transitionIn(tx, id, Transition::enrol, context, [&](storage::Transaction& tx, const ParticipantView& before) {
    const Commitment c = validateCommitment(acknowledged, signedOn, method, today(), before.referredOn);
    tx.execute(
        "UPDATE participants SET ever_enrolled = 1, commitment_signed_on = ?, commitment_method = ?,"
        " commitment_by = ?, research_consent = ? WHERE id = ?",
        {core::formatDate(c.signedOn), c.method, storage::optional(context.actorUserId),
         std::int64_t{researchConsent}, storage::id(id)});
    if (enrolmentHook_) enrolmentHook_(tx, id, context);
  });
}

ParticipantView ParticipantService::completeIn(storage::Transaction& tx, core::ParticipantId id,
                                               const identity::AuditContext& context) const {
  return transitionIn(tx, id, Transition::complete, context, [](storage::Transaction&, const ParticipantView&) {});
}

ParticipantView ParticipantService::withdraw(core::ParticipantId id, const std::string& reason,
                                             const identity::AuditContext& context) {
  const std::string trimmed = trim(reason);
  if (trimmed.empty() || trimmed.size() > 4000 || !isValidUtf8(trimmed)) {
    throw Error(ErrorCode::unprocessable, "a reason of 1 to 4000 bytes of UTF-8 is required", "reason");
  }
  return transition(id, Transition::withdraw, context, [&](storage::Transaction& tx, const ParticipantView&) {
    tx.execute("UPDATE participants SET withdrawal_reason_enc = ?, withdrawn_at = ?, withdrawn_by = ? WHERE id = ?",
               {Blob{cipher_.encrypt(trimmed, "participants.withdrawal_reason", id.value())}, clock_.now(),
                storage::optional(context.actorUserId), storage::id(id)});
  });
}

ParticipantView ParticipantService::get(core::ParticipantId id, const identity::AuditContext& context) {
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    ParticipantView view = load(tx, id);
    identity::recordAudit(
        tx, {context.actorUserId, "participant.read", "participant", id.toString(), context.requestId, ""}, now);
    return view;
  });
}

std::vector<ParticipantView> ParticipantService::list(const ListFilter& filter, const identity::AuditContext& context) {
  if (filter.onlyIds && filter.onlyIds->empty()) return {};
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    std::vector<ParticipantView> views;
    std::vector<core::ParticipantId> ids;
    if (filter.onlyIds) {  // a restricted caller: page through their own ids only
      ids = *filter.onlyIds;
      std::sort(ids.begin(), ids.end());
      std::erase_if(ids, [&](core::ParticipantId id) { return id.value() <= filter.afterId.value_or(0); });
      if (static_cast<int>(ids.size()) > filter.limit) ids.erase(ids.begin() + filter.limit, ids.end());
    } else {
      for (const auto& row : tx.query("SELECT id FROM participants WHERE id > ? ORDER BY id LIMIT ?",
                                      {filter.afterId.value_or(0), std::int64_t{filter.limit}})) {
        ids.push_back(row.id<core::ParticipantTag>(0));
      }
    }
    for (const core::ParticipantId id : ids) {
      if (filter.onlyIds && !tx.queryOne("SELECT id FROM participants WHERE id = ?", {storage::id(id)})) continue;
      views.push_back(load(tx, id));
      identity::recordAudit(
          tx, {context.actorUserId, "participant.read", "participant", id.toString(), context.requestId, "list"}, now);
    }
    return views;
  });
}

ParticipantService::Summary ParticipantService::summaryIn(storage::Transaction& tx, core::ParticipantId id) const {
  const auto row = tx.queryOne("SELECT status, code, language FROM participants WHERE id = ?", {storage::id(id)});
  if (!row) throw Error(ErrorCode::not_found, "no such participant", "participant_id");
  return {statusFromString(row->text(0)).value_or(Status::referred), row->text(1), row->text(2)};
}

void ParticipantService::lockIn(storage::Transaction& tx, core::ParticipantId id) const {
  if (tx.execute("UPDATE participants SET version = version + 1 WHERE id = ?", {storage::id(id)}) != 1) {
    throw Error(ErrorCode::not_found, "no such participant");
  }
}

void ParticipantService::startTherapyIn(storage::Transaction& tx, core::ParticipantId id,
                                        const identity::AuditContext& context) const {
  lockIn(tx, id);  // a withdrawal in flight is not overwritten by in_therapy
  const Summary summary = summaryIn(tx, id);
  if (summary.status != Status::enrolled) return;  // already in therapy: nothing to do
  const auto now = clock_.now();
  tx.execute("UPDATE participants SET status = ?, updated_at = ? WHERE id = ?",
             {std::string(toString(apply(summary.status, Transition::start_therapy))), now, storage::id(id)});
  identity::recordAudit(tx,
                        {context.actorUserId, "participant.start_therapy", "participant", id.toString(),
                         context.requestId, "enrolled->in_therapy"},
                        now);
}

bool ParticipantService::exists(core::ParticipantId id) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne("SELECT id FROM participants WHERE id = ?", {storage::id(id)}).has_value();
  });
}

ParticipantView ParticipantService::load(storage::Transaction& tx, core::ParticipantId id) const {
  const auto row =
      tx.queryOne(std::string("SELECT ") + kColumns + " FROM participants WHERE id = ?", {storage::id(id)});
  if (!row) throw Error(ErrorCode::not_found, "no such participant");
  const auto decrypt = [&](std::size_t column, const char* name) {
    return cipher_.decrypt(row->blob(column), std::string("participants.") + name, id.value());
  };
  const auto decryptOptional = [&](std::size_t column, const char* name) -> std::optional<std::string> {
    if (row->isNull(column)) return std::nullopt;
    return decrypt(column, name);
  };
  const auto optionalDate = [&](std::size_t column) -> std::optional<core::LocalDate> {
    if (row->isNull(column)) return std::nullopt;
    return core::parseDate(row->text(column).substr(0, 10));
  };
  const auto optionalBool = [&](std::size_t column) -> std::optional<bool> {
    if (row->isNull(column)) return std::nullopt;
    return row->boolean(column);
  };
  ParticipantView v;
  v.id = row->id<core::ParticipantTag>(0);
  v.code = row->text(1);
  v.status = statusFromString(row->text(2)).value_or(Status::referred);
  v.language = row->text(3);
  v.anonymisedAt = row->optInstant(24);
  v.givenName = v.anonymisedAt ? v.code : decrypt(4, "given_name");  // what documents and statements print
  v.familyName = decrypt(5, "family_name");
  v.birthDate = v.anonymisedAt ? birthYearOnly(decrypt(6, "birth_date")) : core::parseDate(decrypt(6, "birth_date"));
  v.email = decryptOptional(7, "email");
  v.phone = decryptOptional(8, "phone");
  v.address = decryptOptional(9, "address");
  v.referralSource = row->text(10);
  v.referralReference = decrypt(11, "referral_reference");
  v.referredOn = core::parseDate(row->text(12).substr(0, 10));
  v.offenceOn = optionalDate(13);
  v.prosecutorDecision = row->optText(14);
  v.offenceInvolvedMinor = optionalBool(15);
  v.historyOfViolence = optionalBool(16);
  if (!row->isNull(17)) v.ineligibilityReasons = split(row->text(17));
  v.commitmentSignedOn = optionalDate(18);
  v.commitmentMethod = row->optText(19);
  v.withdrawnAt = row->optInstant(20);
  v.createdAt = row->instant(21);
  v.updatedAt = row->instant(22);
  v.researchConsent = row->boolean(23);
  return v;
}

}  // namespace parcours::participants
