#pragma once
// The six roles of docs/domain.md ("Roles"). A user has exactly one.

#include <array>
#include <optional>
#include <string_view>

namespace parcours::identity {

enum class Role { admin, coordinator, practitioner, finance, participant, researcher };

inline constexpr std::array<Role, 6> kAllRoles{Role::admin,   Role::coordinator, Role::practitioner,
                                               Role::finance, Role::participant, Role::researcher};

inline constexpr std::string_view toString(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::coordinator: return "coordinator";
    case Role::practitioner: return "practitioner";
    case Role::finance: return "finance";
    case Role::participant: return "participant";
    case Role::researcher: return "researcher";
  }
  return "unknown";
}

inline std::optional<Role> roleFromString(std::string_view text) {
  for (const Role role : kAllRoles) {
    if (toString(role) == text) return role;
  }
  return std::nullopt;
}

// docs/api.md's "staff": admin, coordinator, practitioner, finance.
inline constexpr bool isStaff(Role role) {
  return role == Role::admin || role == Role::coordinator || role == Role::practitioner || role == Role::finance;
}

}  // namespace parcours::identity
