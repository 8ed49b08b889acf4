#pragma once
// Access rules, declared once per route and enforced in one place (the
// route's guard). A rule lists the roles that may call the route and, per
// role, how far: everything, or only their own records. docs/api.md's "who"
// column maps onto it one to one:
//   - a role not listed → 403;
//   - a listed role whose ownership check fails → 404, because the record's
//     existence is itself private; except `self_user`: a user id is no private
//     record, and acting as someone else is simply not allowed → 403;
//   - no or bad credentials → 401;
//   - a caller who must change their password (set by someone else) → 403
//     with type /problems/password-change-required, on every route but those
//     marked `beforePasswordChange`.

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "api/router.h"
#include "core/id.h"
#include "identity/principal.h"

namespace parcours::api {

enum class Scope {
  all,                          // any record
  self_user,                    // path {id} is the caller's user id (else 403, not 404)
  self_participant,             // path {id} is the caller's participant record
  that_practitioner,            // path {id} is the caller's practitioner record
  participant_of_practitioner,  // path {id} is a participant the calling practitioner treats
  session_of_practitioner,      // path {id} is a session of the calling practitioner
  session_of_participant,       // path {id} is a session of the calling participant
};

struct Grant {
  identity::Role role;
  Scope scope = Scope::all;
};

struct Access {
  bool anyone = false;
  std::vector<Grant> grants;
  // Callable while the caller's password must still be changed (reading who
  // they are, changing it, signing out); every other route refuses them.
  bool beforePasswordChange = false;
  // Anyone whose request comes from loopback (a local scraper) passes
  // without credentials; others are held to the grants.
  bool loopbackAnyone = false;
  // With `anyone`: a valid sign-in, when one is presented, is resolved
  // (principal set) and an invalid or absent one is simply none — for "who
  // am I, if anyone", which a page asks before it knows.
  bool resolveIfPresent = false;
};

inline Access anyone() {
  return Access{true, {}};
}
// Anyone, with the caller resolved when signed in (request.principal or none).
inline Access anyoneSignedInOrNot() {
  Access access{true, {}};
  access.resolveIfPresent = true;
  return access;
}
// Any signed-in user.
Access anySignedIn();
// Each listed role, unrestricted.
Access roles(std::initializer_list<identity::Role> list);
Access grants(std::initializer_list<Grant> list);
// The same access, also open to a caller whose password must be changed.
Access beforePasswordChange(Access access);
// Every role, each on its own user id only ("self" in docs/api.md).
Access selfOnly();
// The same access, but anyone on loopback passes without credentials.
Access loopbackOr(Access access);

// Who a session is between.
struct SessionParties {
  core::PractitionerId practitioner;
  core::ParticipantId participant;
};

// What guards need from the identity and domain modules.
struct AccessResolver {
  // The principal behind a bearer secret; nullopt when invalid or expired.
  std::function<std::optional<identity::Principal>(std::string_view secret)> authenticate;
  // Whether practitioner `practitionerId` treats participant `participantId`.
  std::function<bool(core::PractitionerId practitionerId, core::ParticipantId participantId)> treats;
  // The practitioner and participant of a session, if it exists.
  std::function<std::optional<SessionParties>(core::SessionId sessionId)> sessionParties;
  // The participants practitioner `practitionerId` treats (has sessions with).
  std::function<std::vector<core::ParticipantId>(core::PractitionerId practitionerId)> treatedBy;
};

// The guard enforcing `access`; it sets request.principal when signed in.
Guard guardFor(const Access& access, const AccessResolver& resolver);

// The caller, for handlers of guarded routes (REQUIRES: not `anyone`).
const identity::Principal& principalOf(const Request& request);

// The participants a list may show its caller (docs/api.md "Participants"):
// nullopt for everyone (coordinators, finance), the caller's own record for
// a participant, those a practitioner treats for a practitioner. The list
// routes' ownership rule, kept here with the scopes of single records.
std::optional<std::vector<core::ParticipantId>> visibleParticipants(const identity::Principal& who,
                                                                    const AccessResolver& resolver);

// Whose sessions a list may show its caller (docs/api.md "Sessions"): a
// practitioner only their own, a participant only theirs (an account linked
// to no record matches none); an unset side leaves the client's filter as asked.
struct VisibleSessions {
  std::optional<core::PractitionerId> practitioner;
  std::optional<core::ParticipantId> participant;
};
VisibleSessions visibleSessions(const identity::Principal& who);

}  // namespace parcours::api
