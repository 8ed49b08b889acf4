// Participant files (docs/api.md "Participants"): referral, reads, eligibility,
// commitment and withdrawal. One function per route; who may call each, and
// how far, is declared in the table at the end.
#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/route_table.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;
using participants::ParticipantView;

namespace {

using Route = RouteContext<AppContext>;

std::string formatDate(core::LocalDate date) {
  return core::formatDate(date);
}

// A file anonymised by retention: no name, contact, address or reference.
void writeAnonymisedParticipant(JsonWriter& w, const ParticipantView& p, Role viewer) {
  w.beginObject()
      .field("id", p.id)
      .field("code", p.code)
      .field("status", participants::toString(p.status))
      .field("language", p.language)
      .field("anonymised_at", core::formatInstantUtc(*p.anonymisedAt));
  if (viewer == Role::coordinator) {
    w.field("birth_year", static_cast<std::int64_t>(static_cast<int>(date::year_month_day{p.birthDate}.year())));
  }
  w.endObject();
}

// What each role may see of a file (docs/domain.md "Roles"): finance
// gets the billing fields, a practitioner the contact details, coordinators
// and the participant themself everything.
void writeParticipant(JsonWriter& w, const ParticipantView& p, Role viewer) {
  if (p.anonymisedAt) {  // retention erased the person: the code is all that names the file
    writeAnonymisedParticipant(w, p, viewer);
    return;
  }
  w.beginObject()
      .field("id", p.id)
      .field("code", p.code)
      .field("status", participants::toString(p.status))
      .field("language", p.language)
      .field("given_name", p.givenName)
      .field("family_name", p.familyName);
  if (viewer == Role::finance) {
    w.field("address", p.address).endObject();
    return;
  }
  w.field("email", p.email).field("phone", p.phone);
  if (viewer == Role::practitioner) {
    w.endObject();
    return;
  }
  w.field("address", p.address).field("birth_date", core::formatDate(p.birthDate));
  if (viewer != Role::coordinator) {
    w.endObject();
    return;
  }
  w.key("referral")
      .beginObject()
      .field("source", p.referralSource)
      .field("reference", p.referralReference)
      .field("referred_on", core::formatDate(p.referredOn));
  w.field("offence_on", p.offenceOn, formatDate).endObject();
  w.key("ineligibility_reasons").beginArray();
  for (const auto& reason : p.ineligibilityReasons) w.value(reason);
  w.endArray();
  w.field("prosecutor_decision", p.prosecutorDecision);
  w.field("commitment_signed_on", p.commitmentSignedOn, formatDate)
      .field("commitment_method", p.commitmentMethod)
      .field("research_consent", p.researchConsent)
      .field("created_at", core::formatInstantUtc(p.createdAt))
      .field("updated_at", core::formatInstantUtc(p.updatedAt))
      .endObject();
}

Response participantResponse(int status, const ParticipantView& view, const Request& request) {
  JsonWriter w;
  writeParticipant(w, view, principalOf(request).role);
  return jsonResponse(status, w);
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

Response referParticipant(Route& route, Request& request) {
  const auto body = request.jsonObject();
  const auto view = route.services().participants.refer(referralInput(*body), auditContextOf(request));
  return participantResponse(201, view, request);
}

// Each caller sees the files access.h's visibleParticipants allows.
Response listParticipants(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto& who = principalOf(request);
  participants::ListFilter filter;
  filter.limit = limitParam(request);
  if (const auto cursor = request.queryValue("cursor")) filter.afterId = cursorParam(*cursor);
  filter.onlyIds = visibleParticipants(who, app.access);
  const auto views = app.participants.list(filter, auditContextOf(request));
  return pageResponse(
      views, filter.limit, [&](JsonWriter& w, const ParticipantView& view) { writeParticipant(w, view, who.role); },
      [](const ParticipantView& view) { return view.id.value(); });
}

Response getParticipant(Route& route, Request& request) {
  return participantResponse(
      200, route.services().participants.get(pathId<core::ParticipantId>(request), auditContextOf(request)), request);
}

Response decideEligibility(Route& route, Request& request) {
  const auto body = request.jsonObject();
  participants::EligibilityDecision decision;
  const std::string said = requireString(*body, "decision");
  decision.offenceInvolvedMinor = requireBool(*body, "offence_involved_minor");
  decision.historyOfViolence = requireBool(*body, "history_of_violence");
  decision.notes = optionalString(*body, "notes");
  const auto id = pathId<core::ParticipantId>(request);
  // Checked as the service did: after the fields are read (400) and the path (404).
  const auto prosecutor = participants::prosecutorDecisionFromString(said);
  if (!prosecutor) throw Error(ErrorCode::unprocessable, "must be \"eligible\" or \"ineligible\"", "decision");
  decision.decision = *prosecutor;
  const auto view = route.services().participants.decideEligibility(id, decision, auditContextOf(request));
  return participantResponse(200, view, request);
}

Response signCommitment(Route& route, Request& request) {
  const auto body = request.jsonObject();
  const auto view = route.services().participants.commitIn(
      route.tx(), pathId<core::ParticipantId>(request), optionalBool(*body, "acknowledged_responsibility"),
      optionalString(*body, "signed_on"), optionalString(*body, "method"), auditContextOf(request),
      optionalBool(*body, "research_consent").value_or(false));
  return participantResponse(200, view, request);
}

Response withdrawParticipant(Route& route, Request& request) {
  const auto body = request.jsonObject();
  const auto view = route.services().participants.withdraw(pathId<core::ParticipantId>(request),
                                                           requireString(*body, "reason"), auditContextOf(request));
  return participantResponse(200, view, request);
}

}  // namespace

void addParticipantRoutes(Router& router, AppContext& app) {
  const Access coordinator = roles({Role::coordinator});
  const Access readers = grants({{Role::coordinator, Scope::all},
                                 {Role::practitioner, Scope::participant_of_practitioner},
                                 {Role::finance, Scope::all},
                                 {Role::participant, Scope::self_participant}});
  // Everyone listed reads the list; its rows are narrowed by visibleParticipants.
  const Access listReaders = roles({Role::coordinator, Role::practitioner, Role::finance, Role::participant});
  addRoutes<AppContext>(
      router, app, app.access, &app.idempotent,
      {
          {"POST", "/api/v1/participants", referParticipant, coordinator},
          {"GET", "/api/v1/participants", listParticipants, listReaders},
          {"GET", "/api/v1/participants/{id}", getParticipant, readers},
          {"POST", "/api/v1/participants/{id}/eligibility", decideEligibility, coordinator},
          {"POST", "/api/v1/participants/{id}/commitment", signCommitment, coordinator, Idempotency::honoured},
          {"POST", "/api/v1/participants/{id}/withdraw", withdrawParticipant, coordinator},
      });
}

}  // namespace parcours::api
