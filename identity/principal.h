#pragma once
// Principal — who is calling: the signed-in user behind a bearer token.

#include <cstdint>
#include <optional>
#include <string>

#include "core/id.h"
#include "identity/roles.h"

namespace parcours::identity {

struct Principal {
  core::UserId userId{0};
  Role role = Role::participant;
  std::optional<core::ParticipantId> participantId;    // for role participant
  std::optional<core::PractitionerId> practitionerId;  // for role practitioner
  core::TokenId tokenId{0};                            // the token used (logout revokes it)
  bool passwordChangeRequired = false;         // set by someone else: only changing it is allowed
};

}  // namespace parcours::identity
