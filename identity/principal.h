#pragma once
// Principal — who is calling: the signed-in user behind a bearer token.

#include <cstdint>
#include <optional>
#include <string>

#include "identity/roles.h"

namespace parcours::identity {

struct Principal {
  std::int64_t userId = 0;
  Role role = Role::participant;
  std::optional<std::int64_t> participantId;   // for role participant
  std::optional<std::int64_t> practitionerId;  // for role practitioner
  std::int64_t tokenId = 0;                    // the token used (logout revokes it)
  bool passwordChangeRequired = false;         // set by someone else: only changing it is allowed
};

}  // namespace parcours::identity
