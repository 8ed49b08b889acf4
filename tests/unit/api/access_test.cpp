#include <catch2/catch.hpp>

#include "api/access.h"
#include "api/page_session.h"
#include "core/error.h"

using namespace parcours;
using api::Scope;
using identity::Role;

namespace {

// Tokens "t-<role>" sign in as that role, as user 7; the participant user is
// participant 42, the practitioner user practitioner 9, who treats 43.
api::AccessResolver resolver() {
  return {[](std::string_view secret) -> std::optional<identity::Principal> {
            if (!secret.starts_with("t-")) return std::nullopt;
            // "t-<role>!": that role, whose password must be changed first.
            const bool mustChange = secret.ends_with("!");
            if (mustChange) secret.remove_suffix(1);
            const auto role = identity::roleFromString(secret.substr(2));
            if (!role) return std::nullopt;
            identity::Principal p{core::UserId(7), *role, std::nullopt, std::nullopt, core::TokenId(1)};
            if (*role == Role::participant) p.participantId = core::ParticipantId(42);
            if (*role == Role::practitioner) p.practitionerId = core::PractitionerId(9);
            p.passwordChangeRequired = mustChange;
            return p;
          },
          [](core::PractitionerId practitioner, core::ParticipantId participant) {
            return practitioner.value() == 9 && participant.value() == 43;
          },
          [](core::SessionId) { return std::optional<api::SessionParties>(); },
          [](core::PractitionerId practitioner) {
            return practitioner.value() == 9 ? std::vector{core::ParticipantId(43)}
                                             : std::vector<core::ParticipantId>{};
          }};
}

// The problem type the guard refuses with, or "" when it lets the request through.
std::string problemTypeOf(const api::Access& access, const std::string& authorization) {
  api::Request request;
  request.params["id"] = "7";
  request.authorization = authorization;
  try {
    api::guardFor(access, resolver())(request);
    return "";
  } catch (const core::Error& e) {
    const auto type = e.members().find("type");
    return type == e.members().end() ? std::string(core::errorSlug(e.code())) : type->second;
  }
}

// The status the guard refuses with, or 200 when it lets the request through.
int statusOf(const api::Access& access, const std::string& authorization, const std::string& id = "42") {
  api::Request request;
  request.params["id"] = id;
  request.authorization = authorization;
  const auto guard = api::guardFor(access, resolver());
  if (!guard) return 200;
  try {
    guard(request);
    REQUIRE(request.principal.has_value());
    return 200;
  } catch (const core::Error& e) {
    return core::httpStatus(e.code());
  }
}

std::string bearer(Role role) {
  return "Bearer t-" + std::string(identity::toString(role));
}

}  // namespace

TEST_CASE("credentials: none or bad → 401; anyone needs none", "[access]") {
  CHECK(statusOf(api::anyone(), "") == 200);
  CHECK(statusOf(api::roles({Role::admin}), "") == 401);
  CHECK(statusOf(api::roles({Role::admin}), "Bearer nope") == 401);
  CHECK(statusOf(api::roles({Role::admin}), "Basic dDp0") == 401);
  CHECK(statusOf(api::roles({Role::admin}), bearer(Role::admin)) == 200);
}

TEST_CASE("a role not listed → 403; every role passes anySignedIn", "[access]") {
  for (const Role role : identity::kAllRoles) {
    INFO(identity::toString(role));
    CHECK(statusOf(api::roles({Role::coordinator}), bearer(role)) == (role == Role::coordinator ? 200 : 403));
    CHECK(statusOf(api::anySignedIn(), bearer(role)) == 200);
  }
}

TEST_CASE("ownership: a listed role outside its own records → 404", "[access]") {
  const api::Access readers = api::grants({{Role::coordinator, Scope::all},
                                           {Role::participant, Scope::self_participant},
                                           {Role::practitioner, Scope::participant_of_practitioner}});
  CHECK(statusOf(readers, bearer(Role::participant), "42") == 200);
  CHECK(statusOf(readers, bearer(Role::participant), "43") == 404);
  CHECK(statusOf(readers, bearer(Role::practitioner), "43") == 200);
  CHECK(statusOf(readers, bearer(Role::practitioner), "42") == 404);
  CHECK(statusOf(readers, bearer(Role::practitioner), "abc") == 404);
  CHECK(statusOf(readers, bearer(Role::coordinator), "12345") == 200);
  CHECK(statusOf(readers, bearer(Role::finance), "42") == 403);

  const api::Access self = api::grants({{Role::admin, Scope::all}, {Role::finance, Scope::self_user}});
  CHECK(statusOf(self, bearer(Role::finance), "7") == 200);
  CHECK(statusOf(self, bearer(Role::finance), "8") == 403);  // a user id is no private record
  const api::Access thatPractitioner = api::grants({{Role::practitioner, Scope::that_practitioner}});
  CHECK(statusOf(thatPractitioner, bearer(Role::practitioner), "9") == 200);
  CHECK(statusOf(thatPractitioner, bearer(Role::practitioner), "10") == 404);
}

TEST_CASE("self only: every role on its own user id, nobody (not even an admin) on another's", "[access]") {
  for (const Role role : identity::kAllRoles) {
    INFO(identity::toString(role));
    CHECK(statusOf(api::selfOnly(), bearer(role), "7") == 200);
    CHECK(statusOf(api::selfOnly(), bearer(role), "8") == 403);
    CHECK(statusOf(api::selfOnly(), bearer(role), "abc") == 403);
  }
}

TEST_CASE("a password set by someone else: 403 password-change-required everywhere but the marked routes", "[access]") {
  const std::string mustChange = bearer(Role::coordinator) + "!";
  for (const api::Access& access :
       {api::roles({Role::coordinator}), api::anySignedIn(), api::selfOnly(), api::roles({Role::admin})}) {
    CHECK(statusOf(access, mustChange, "7") == 403);
    CHECK(problemTypeOf(access, mustChange) == "\"/problems/password-change-required\"");
    CHECK(problemTypeOf(api::beforePasswordChange(access), mustChange) ==
          problemTypeOf(access, bearer(Role::coordinator)));
  }
  CHECK(statusOf(api::beforePasswordChange(api::anySignedIn()), mustChange) == 200);
  CHECK(statusOf(api::beforePasswordChange(api::anySignedIn()), "Bearer nope!") == 401);
  CHECK(statusOf(api::anyone(), mustChange) == 200);
}

TEST_CASE("loopbackOr: anyone on loopback without credentials, else the grants", "[access]") {
  const auto access = api::loopbackOr(api::roles({Role::admin}));
  const auto guard = api::guardFor(access, resolver());
  api::Request local;
  local.fromLoopback = true;
  CHECK_NOTHROW(guard(local));
  CHECK_FALSE(local.principal.has_value());
  CHECK(statusOf(access, "") == 401);
  CHECK(statusOf(access, bearer(Role::coordinator)) == 403);
  CHECK(statusOf(access, bearer(Role::admin)) == 200);
}

TEST_CASE("visibleParticipants: a participant their own file, a practitioner those they treat, others all",
          "[access]") {
  const auto who = [](Role role) {
    identity::Principal p{core::UserId(7), role, std::nullopt, std::nullopt, core::TokenId(1)};
    if (role == Role::participant) p.participantId = core::ParticipantId(42);
    if (role == Role::practitioner) p.practitionerId = core::PractitionerId(9);
    return p;
  };
  CHECK(api::visibleParticipants(who(Role::participant), resolver()) == std::vector{core::ParticipantId(42)});
  CHECK(api::visibleParticipants(who(Role::practitioner), resolver()) == std::vector{core::ParticipantId(43)});
  CHECK_FALSE(api::visibleParticipants(who(Role::coordinator), resolver()).has_value());
  CHECK_FALSE(api::visibleParticipants(who(Role::finance), resolver()).has_value());
  // A participant user with no record sees nothing that exists (id 0).
  identity::Principal orphan{core::UserId(8), Role::participant, std::nullopt, std::nullopt, core::TokenId(1)};
  CHECK(api::visibleParticipants(orphan, resolver()) == std::vector{core::ParticipantId(0)});
}

TEST_CASE("visibleSessions: a practitioner their own, a participant theirs, others as asked", "[access]") {
  identity::Principal practitioner{core::UserId(7), Role::practitioner, std::nullopt, core::PractitionerId(9), core::TokenId(1)};
  identity::Principal participant{core::UserId(7), Role::participant, core::ParticipantId(42), std::nullopt, core::TokenId(1)};
  const auto ofPractitioner = api::visibleSessions(practitioner);
  CHECK(ofPractitioner.practitioner == core::PractitionerId(9));
  CHECK_FALSE(ofPractitioner.participant.has_value());
  const auto ofParticipant = api::visibleSessions(participant);
  CHECK(ofParticipant.participant == core::ParticipantId(42));
  CHECK_FALSE(ofParticipant.practitioner.has_value());
  for (const Role role : {Role::admin, Role::coordinator, Role::finance}) {
    const auto all = api::visibleSessions(identity::Principal{core::UserId(7), role, std::nullopt, std::nullopt, core::TokenId(1)});
    CHECK_FALSE(all.practitioner.has_value());
    CHECK_FALSE(all.participant.has_value());
  }
  // An account linked to no record matches no session (id -1).
  const auto orphan = api::visibleSessions(identity::Principal{core::UserId(8), Role::practitioner, std::nullopt, std::nullopt, core::TokenId(1)});
  CHECK(orphan.practitioner == core::PractitionerId(-1));
}

namespace {

// The guard's verdict for a request signed in by the page session cookie.
std::string cookieVerdict(const std::string& method, const std::string& cookies, const std::string& csrf,
                          const std::string& authorization = "", const api::Access& access = api::anySignedIn()) {
  api::Request request;
  request.method = method;
  request.cookies = cookies;
  request.csrfToken = csrf;
  request.authorization = authorization;
  try {
    api::guardFor(access, resolver())(request);
    return request.viaSessionCookie ? "cookie" : "bearer";
  } catch (const core::Error& e) {
    const auto type = e.members().find("type");
    return type == e.members().end() ? std::string(core::errorSlug(e.code())) : type->second;
  }
}

}  // namespace

TEST_CASE("a page session cookie signs in, and its writes need the CSRF token", "[access][pages]") {
  const std::string cookie = "theme=dark; parcours_session=t-admin";
  const std::string csrf = api::csrfTokenFor("t-admin");
  CHECK(cookieVerdict("GET", cookie, "") == "cookie");
  CHECK(cookieVerdict("HEAD", cookie, "") == "cookie");
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    INFO(method);
    CHECK(cookieVerdict(method, cookie, "") == "\"/problems/csrf\"");
    CHECK(cookieVerdict(method, cookie, api::csrfTokenFor("t-finance")) == "\"/problems/csrf\"");
    CHECK(cookieVerdict(method, cookie, csrf) == "cookie");
  }
  CHECK(cookieVerdict("GET", "parcours_session=nope", "") == "unauthorized");
  CHECK(cookieVerdict("GET", "other=t-admin", "") == "unauthorized");
  // A forced password change holds for the cookie too; CSRF comes first.
  CHECK(cookieVerdict("GET", "parcours_session=t-admin!", "") == "\"/problems/password-change-required\"");
  CHECK(cookieVerdict("POST", "parcours_session=t-admin!", "") == "\"/problems/csrf\"");
}

TEST_CASE("with an Authorization header the cookie is ignored", "[access][pages]") {
  const std::string cookie = "parcours_session=t-admin";
  CHECK(cookieVerdict("POST", cookie, "", "Bearer t-finance") == "bearer");
  CHECK(cookieVerdict("GET", cookie, "", "Bearer nope") == "unauthorized");
  CHECK(cookieVerdict("GET", cookie, "", "Basic dXNlcjpwYXNz") == "unauthorized");
}
