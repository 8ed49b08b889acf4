#include "api/access.h"

#include <charconv>

#include "api/page_session.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

Access anySignedIn() {
  Access access;
  for (const Role role : identity::kAllRoles) access.grants.push_back({role, Scope::all});
  return access;
}

Access roles(std::initializer_list<Role> list) {
  Access access;
  for (const Role role : list) access.grants.push_back({role, Scope::all});
  return access;
}

Access grants(std::initializer_list<Grant> list) {
  return Access{false, std::vector<Grant>(list)};
}

Access beforePasswordChange(Access access) {
  access.beforePasswordChange = true;
  return access;
}

Access selfOnly() {
  Access access;
  for (const Role role : identity::kAllRoles) access.grants.push_back({role, Scope::self_user});
  return access;
}

Access loopbackOr(Access access) {
  access.loopbackAnyone = true;
  return access;
}

std::optional<std::vector<core::ParticipantId>> visibleParticipants(const identity::Principal& who,
                                                                    const AccessResolver& resolver) {
  if (who.role == Role::participant) return std::vector{who.participantId.value_or(core::ParticipantId(0))};
  if (who.role == Role::practitioner) {
    if (!resolver.treatedBy) throw Error(ErrorCode::internal, "no resolver for a practitioner's participants");
    return resolver.treatedBy(who.practitionerId.value_or(core::PractitionerId(0)));
  }
  return std::nullopt;
}

VisibleSessions visibleSessions(const identity::Principal& who) {
  VisibleSessions visible;
  if (who.role == Role::practitioner) visible.practitioner = who.practitionerId.value_or(core::PractitionerId(-1));
  if (who.role == Role::participant) visible.participant = who.participantId.value_or(core::ParticipantId(-1));
  return visible;
}

namespace {

std::optional<std::int64_t> pathId(const Request& request) {
  const auto found = request.params.find("id");
  if (found == request.params.end()) return std::nullopt;
  std::int64_t id = 0;
  const std::string& text = found->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return id;
}

bool withinScope(const Grant& grant, const identity::Principal& who, const Request& request,
                 const AccessResolver& resolver) {
  if (grant.scope == Scope::all) return true;
  const auto id = pathId(request);
  if (!id) return false;
  switch (grant.scope) {
    case Scope::all: return true;
    case Scope::self_user: return core::UserId(*id) == who.userId;
    case Scope::self_participant: return who.participantId && core::ParticipantId(*id) == *who.participantId;
    case Scope::that_practitioner: return who.practitionerId && core::PractitionerId(*id) == *who.practitionerId;
    case Scope::participant_of_practitioner:
      return who.practitionerId && resolver.treats && resolver.treats(*who.practitionerId, core::ParticipantId(*id));
    case Scope::session_of_practitioner:
    case Scope::session_of_participant: {
      if (!resolver.sessionParties) return false;
      const auto parties = resolver.sessionParties(core::SessionId(*id));
      if (!parties) return false;
      return grant.scope == Scope::session_of_practitioner ? who.practitionerId == parties->practitioner
                                                           : who.participantId == parties->participant;
    }
  }
  return false;
}

std::string bearerSecret(const Request& request) {
  const std::string& header = request.authorization;
  static constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) return {};
  return header.substr(kScheme.size());
}

struct Credentials {
  std::string secret;  // empty: none presented
  bool fromCookie = false;
};

// A request with an Authorization header is a script's: its cookies are
// ignored, so a bearer token never needs a CSRF token.
Credentials credentialsOf(const Request& request) {
  if (!request.authorization.empty()) return {bearerSecret(request), false};
  if (auto secret = cookieValue(request.cookies, kSessionCookie)) return {std::move(*secret), true};
  return {};
}

// A browser sends the cookie with any request a page of another site makes
// it send (SameSite=Strict aside); only our own pages know the CSRF token.
void requireCsrfToken(const Request& request, const Credentials& credentials) {
  if (!credentials.fromCookie || csrfExempt(request.method)) return;
  if (csrfMatches(credentials.secret, request.csrfToken)) return;
  throw Error(ErrorCode::forbidden, "a request signed in by the session cookie must carry its X-CSRF-Token")
      .withMember("type", core::jsonQuote("/problems/csrf"));
}

}  // namespace

Guard guardFor(const Access& access, const AccessResolver& resolver) {
  if (access.anyone && access.resolveIfPresent) {
    return [resolver](Request& request) {
      const Credentials credentials = credentialsOf(request);
      if (credentials.secret.empty()) return;
      if (auto principal = resolver.authenticate(credentials.secret)) {
        request.principal = std::move(principal);
        request.viaSessionCookie = credentials.fromCookie;
      }
    };
  }
  if (access.anyone) return {};
  return [access, resolver](Request& request) {
    if (access.loopbackAnyone && request.fromLoopback) return;
    const Credentials credentials = credentialsOf(request);
    if (credentials.secret.empty()) {
      throw Error(ErrorCode::unauthorized, "sign in: Authorization: Bearer <token> (or a page session) is required");
    }
    auto principal = resolver.authenticate(credentials.secret);
    if (!principal) throw Error(ErrorCode::unauthorized, "the token is not valid or has expired");
    requireCsrfToken(request, credentials);
    request.principal = principal;
    request.viaSessionCookie = credentials.fromCookie;
    if (principal->passwordChangeRequired && !access.beforePasswordChange) {
      throw Error(ErrorCode::forbidden,
                  "your password was set by someone else: change it first (POST /api/v1/users/me/password)")
          .withMember("type", core::jsonQuote("/problems/password-change-required"));
    }
    bool roleListed = false;
    bool selfRefused = false;
    for (const Grant& grant : access.grants) {
      if (grant.role != principal->role) continue;
      roleListed = true;
      if (withinScope(grant, *principal, request, resolver)) return;
      if (grant.scope == Scope::self_user) selfRefused = true;
    }
    if (!roleListed) throw Error(ErrorCode::forbidden, "your role may not do this");
    if (selfRefused) throw Error(ErrorCode::forbidden, "only the user themself may do this");
    throw Error(ErrorCode::not_found, "no such resource");
  };
}

const identity::Principal& principalOf(const Request& request) {
  if (!request.principal) throw Error(ErrorCode::internal, "route has no access guard");
  return *request.principal;
}

}  // namespace parcours::api
