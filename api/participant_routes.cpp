#include "api/app_context.h"
#include "api/json.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;
using participants::ParticipantView;

namespace {

Poco::Dynamic::Var orNull(const std::optional<std::string>& value) {
  return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

// What each role may see of a file (docs/domain.md "Roles"): finance
// gets the billing fields, a practitioner the contact details, coordinators
// and the participant themself everything.
Poco::JSON::Object participantJson(const ParticipantView& p, Role viewer) {
  Poco::JSON::Object o;
  o.set("id", std::to_string(p.id));
  o.set("code", p.code);
  o.set("status", std::string(participants::toString(p.status)));
  o.set("language", p.language);
  o.set("given_name", p.givenName);
  o.set("family_name", p.familyName);
  if (viewer == Role::finance) {
    o.set("address", orNull(p.address));
    return o;
  }
  o.set("email", orNull(p.email));
  o.set("phone", orNull(p.phone));
  if (viewer == Role::practitioner) return o;
  o.set("address", orNull(p.address));
  o.set("birth_date", core::formatDate(p.birthDate));
  if (viewer != Role::coordinator) return o;
  Poco::JSON::Object referral;
  referral.set("source", p.referralSource);
  referral.set("reference", p.referralReference);
  referral.set("referred_on", core::formatDate(p.referredOn));
  referral.set("offence_on", p.offenceOn ? Poco::Dynamic::Var(core::formatDate(*p.offenceOn)) : Poco::Dynamic::Var());
  o.set("referral", referral);
  Poco::JSON::Array reasons;
  for (const auto& reason : p.ineligibilityReasons) reasons.add(reason);
  o.set("ineligibility_reasons", reasons);
  o.set("prosecutor_decision", orNull(p.prosecutorDecision));
  o.set("commitment_signed_on",
        p.commitmentSignedOn ? Poco::Dynamic::Var(core::formatDate(*p.commitmentSignedOn)) : Poco::Dynamic::Var());
  o.set("commitment_method", orNull(p.commitmentMethod));
  o.set("created_at", core::formatInstantUtc(p.createdAt));
  o.set("updated_at", core::formatInstantUtc(p.updatedAt));
  return o;
}

participants::ReferralInput referralInput(const Poco::JSON::Object& body) {
  participants::ReferralInput in;
  in.givenName = optionalString(body, "given_name");
  in.familyName = optionalString(body, "family_name");
  in.birthDate = optionalString(body, "birth_date");
  in.email = optionalString(body, "email");
  in.phone = optionalString(body, "phone");
  in.address = optionalString(body, "address");
  in.language = optionalString(body, "language");
  if (!body.has("referral") || body.get("referral").isEmpty()) {
    throw Error(ErrorCode::bad_request, "is required", "referral");
  }
  const auto referral = body.getObject("referral");
  if (!referral) throw Error(ErrorCode::bad_request, "must be an object", "referral");
  const auto field = [&](const char* name) {
    try {
      return optionalString(*referral, name);
    } catch (Error& e) {
      throw Error(e.code(), e.what(), std::string("referral.") + name);
    }
  };
  in.source = field("source");
  in.reference = field("reference");
  in.referredOn = field("referred_on");
  in.offenceOn = field("offence_on");
  return in;
}

Response participantResponse(int status, const ParticipantView& view, const Request& request) {
  return jsonResponse(status, participantJson(view, principalOf(request).role));
}

}  // namespace

void addParticipantRoutes(Router& router, AppContext& app) {
  const Access coordinator = roles({Role::coordinator});
  const Access readers = grants({{Role::coordinator, Scope::all},
                                 {Role::practitioner, Scope::participant_of_practitioner},
                                 {Role::finance, Scope::all},
                                 {Role::participant, Scope::self_participant}});

  router.add(
      "POST", "/api/v1/participants",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        return participantResponse(201, app.participants.refer(referralInput(*body), auditContextOf(request)), request);
      },
      guardFor(coordinator, app.access));

  router.add(
      "GET", "/api/v1/participants",
      [&app](Request& request) {
        const auto& who = principalOf(request);
        participants::ListFilter filter;
        filter.limit = limitParam(request);
        if (const auto cursor = request.queryValue("cursor")) filter.afterId = cursorParam(*cursor);
        if (who.role == Role::participant) filter.onlyIds = std::vector<std::int64_t>{who.participantId.value_or(0)};
        // A practitioner's own participants: those they have sessions with.
        if (who.role == Role::practitioner) {
          std::vector<std::int64_t> ids;
          for (const auto id :
               app.scheduling.participantsTreatedBy(core::PractitionerId(who.practitionerId.value_or(0)))) {
            ids.push_back(id.value());
          }
          filter.onlyIds = std::move(ids);
        }
        const auto views = app.participants.list(filter, auditContextOf(request));
        Poco::JSON::Array items;
        for (const auto& view : views) items.add(participantJson(view, who.role));
        return pageResponse(items, filter.limit, views.empty() ? 0 : views.back().id);
      },
      guardFor(grants({{Role::coordinator, Scope::all},
                       {Role::practitioner, Scope::all},
                       {Role::finance, Scope::all},
                       {Role::participant, Scope::all}}),
               app.access));

  router.add(
      "GET", "/api/v1/participants/{id}",
      [&app](Request& request) {
        return participantResponse(200, app.participants.get(idParam(request), auditContextOf(request)), request);
      },
      guardFor(readers, app.access));

  router.add(
      "POST", "/api/v1/participants/{id}/eligibility",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        participants::EligibilityDecision decision;
        decision.decision = requireString(*body, "decision");
        decision.offenceInvolvedMinor = requireBool(*body, "offence_involved_minor");
        decision.historyOfViolence = requireBool(*body, "history_of_violence");
        decision.notes = optionalString(*body, "notes");
        return participantResponse(
            200, app.participants.decideEligibility(idParam(request), decision, auditContextOf(request)), request);
      },
      guardFor(coordinator, app.access));

  router.add(
      "POST", "/api/v1/participants/{id}/commitment",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const auto id = idParam(request);
        return app.idempotent.run(
            request, "POST /api/v1/participants/{id}/commitment", KeyRule::optional, [&](storage::Transaction& tx) {
              return participantResponse(
                  200,
                  app.participants.commitIn(tx, id, optionalBool(*body, "acknowledged_responsibility"),
                                            optionalString(*body, "signed_on"), optionalString(*body, "method"),
                                            auditContextOf(request)),
                  request);
            });
      },
      guardFor(coordinator, app.access));

  router.add(
      "POST", "/api/v1/participants/{id}/withdraw",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        return participantResponse(
            200, app.participants.withdraw(idParam(request), requireString(*body, "reason"), auditContextOf(request)),
            request);
      },
      guardFor(coordinator, app.access));
}

}  // namespace parcours::api
