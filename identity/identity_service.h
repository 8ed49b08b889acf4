#pragma once
// IdentityService — users, sign-in, bearer tokens. Passwords are kept only
// as argon2id hashes and tokens only as SHA-256 hashes; e-mail addresses and
// display names are encrypted at rest and found by a keyed hash.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"
#include "identity/audit_log.h"
#include "identity/key_file_cipher.h"
#include "identity/keyed_hash.h"
#include "identity/principal.h"
#include "identity/token_cache.h"
#include "storage/database.h"

namespace parcours::identity {

// Who asks, for the audit log.
struct AuditContext {
  std::optional<std::int64_t> actorUserId;
  RequestIds requestId;
};

struct UserView {
  std::int64_t id = 0;
  std::string email;
  std::string displayName;
  Role role = Role::participant;
  std::optional<std::int64_t> participantId;
  std::optional<std::int64_t> practitionerId;
  core::Instant createdAt;
};

struct NewUser {
  std::string email;
  std::string displayName;
  Role role = Role::participant;
  std::optional<std::string> password;  // none: a one-time password is made
  std::optional<std::int64_t> participantId;
  std::optional<std::int64_t> practitionerId;
};

struct CreatedUser {
  UserView user;
  std::optional<std::string> oneTimePassword;  // shown once, never stored
};

struct Session {
  std::string token;  // shown once
  core::Instant expiresAt;
  UserView user;
};

struct IdentityOptions {
  std::chrono::seconds sessionLifetime{std::chrono::hours(12)};
  TokenCacheOptions tokenCache;
};

class IdentityService {
 public:
  // REQUIRES: all references outlive the service.
  IdentityService(storage::Database& database, const KeyFileCipher& cipher, const KeyedHasher& lookup,
                  const core::Clock& clock, IdentityOptions options);

  // Validates and stores a user: 422 for a bad e-mail, name or role link,
  // 409 when the e-mail is taken.
  CreatedUser createUser(const NewUser& user, const AuditContext& context);

  // Signs in; every failure (unknown e-mail, wrong password, disabled user)
  // throws the same core::Error(unauthorized) after the same work.
  Session login(const std::string& email, const std::string& password, const AuditContext& context);

  // The principal behind a bearer secret, if the token is valid now.
  std::optional<Principal> authenticate(std::string_view bearerSecret) const;

  void logout(const Principal& principal, const AuditContext& context);

  // A long-lived API token for scripts (revocable by logout with it).
  std::string createApiToken(std::int64_t userId, const AuditContext& context);

  // 404 when unknown.
  UserView user(std::int64_t id) const;

  // The keyed hash under which an e-mail is looked up (for throttling keys).
  std::string emailLookup(const std::string& email) const;

 private:
  UserView readUser(storage::Transaction& tx, std::int64_t id) const;

  storage::Database& database_;
  const KeyFileCipher& cipher_;
  const KeyedHasher& lookup_;
  const core::Clock& clock_;
  IdentityOptions options_;
  mutable TokenCache tokenCache_;
};

}  // namespace parcours::identity
