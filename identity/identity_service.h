#pragma once
// IdentityService — users, sign-in, bearer tokens. Passwords are kept only
// as argon2id hashes and tokens only as SHA-256 hashes; e-mail addresses and
// display names are encrypted at rest and found by a keyed hash.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
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
  std::optional<core::UserId> actorUserId;
  RequestIds requestId;
};

struct UserView {
  core::UserId id{0};
  std::string email;
  std::string displayName;
  Role role = Role::participant;
  std::optional<core::ParticipantId> participantId;
  std::optional<core::PractitionerId> practitionerId;
  core::Instant createdAt;
  bool disabled = false;
  bool passwordChangeRequired = false;  // set by someone else: must be changed before anything else
};

struct NewUser {
  std::string email;
  std::string displayName;
  Role role = Role::participant;
  std::optional<std::string> password;  // none: a one-time password is made
  std::optional<core::ParticipantId> participantId;
  std::optional<core::PractitionerId> practitionerId;
  // A password chosen by someone else (an admin, or made here) must be changed
  // at first sign-in. Only `parcoursd admin create --password P`, typed by the
  // person who will use it, sets false.
  bool mustChangePassword = true;
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

struct UserQuery {
  std::optional<Role> role;
  std::int64_t afterId = 0;  // the cursor: users with a greater id
  int limit = 50;
};

enum class TokenKind { session, api };

// A token as its owner and admins see it: never the secret nor its hash.
struct TokenView {
  core::TokenId id{0};
  TokenKind kind = TokenKind::session;
  core::Instant createdAt;
  std::optional<core::Instant> lastUsedAt;  // stamped at most once a minute
  std::optional<core::Instant> expiresAt;   // none: an API token
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
  std::string createApiToken(core::UserId userId, const AuditContext& context);

  // 404 when unknown.
  UserView user(core::UserId id) const;
  // Users by id, at most query.limit.
  std::vector<UserView> users(const UserQuery& query) const;

  // Disables (the user can no longer sign in, and every token of theirs is
  // revoked) or enables again; audited. 404 when unknown; 422 for an admin
  // disabling themself (the last admin would lock everyone out).
  UserView setDisabled(core::UserId userId, bool disabled, const AuditContext& context);

  // The user's tokens still valid now (neither revoked nor expired), by id
  // after `afterId`. 404 when the user is unknown.
  std::vector<TokenView> tokens(core::UserId userId, std::int64_t afterId, int limit) const;
  // Revokes one token of the user; audited. 404 unless it is a valid token of theirs.
  void revokeToken(core::UserId userId, core::TokenId tokenId, const AuditContext& context);

  // The caller changes their own password: 422 (current_password) when the
  // current one is wrong, 422 (new_password) when the new one is too short,
  // too long or the same. Clears the forced change; revokes every other token
  // of the caller (the one used stays valid); audited.
  void changePassword(const Principal& principal, const std::string& currentPassword, const std::string& newPassword,
                      const AuditContext& context);

  // An admin resets a user's password → a one-time password (shown once)
  // that must be changed at first sign-in; every token of the user is
  // revoked; audited. 404 when unknown.
  std::string resetPassword(core::UserId userId, const AuditContext& context);

  // The keyed hash under which an e-mail is looked up (for throttling keys).
  std::string emailLookup(const std::string& email) const;

 private:
  UserView readUser(storage::Transaction& tx, core::UserId id) const;
  UserView userFromRow(const storage::Row& row) const;
  // Revokes the user's valid tokens in `tx`, but `keepTokenId`; → how many.
  std::int64_t revokeTokensOf(storage::Transaction& tx, core::UserId userId,
                              std::optional<core::TokenId> keep = std::nullopt);
  // Stamps last_used_at when it is older than a minute (or never set).
  void stampLastUse(core::TokenId tokenId, std::optional<core::Instant> lastUsed) const;

  storage::Database& database_;
  const KeyFileCipher& cipher_;
  const KeyedHasher& lookup_;
  const core::Clock& clock_;
  IdentityOptions options_;
  mutable TokenCache tokenCache_;
};

}  // namespace parcours::identity
