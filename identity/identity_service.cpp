#include "identity/identity_service.h"

#include <algorithm>

#include "identity/password_hasher.h"
#include "identity/secure_random.h"
#include "identity/token.h"
#include "storage/filters.h"

namespace parcours::identity {

using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kEmailContext = "users.email";
constexpr const char* kNameContext = "users.display_name";
// last_used_at is written at most this often per token: cheap, and precise enough.
constexpr auto kLastUseResolution = std::chrono::minutes(1);
constexpr const char* kUserColumns =
    "id, email_enc, display_name_enc, role, participant_id, practitioner_id, created_at, disabled,"
    " password_change_required";

std::string normalizeEmail(std::string_view email) {
  std::string out;
  for (const char c : email) {
    if (c == ' ' || c == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

void requireEmail(const std::string& email) {
  const auto at = email.find('@');
  const bool ok = email.size() <= 254 && at != std::string::npos && at > 0 &&
                  email.find('@', at + 1) == std::string::npos && email.find('.', at) != std::string::npos &&
                  email.back() != '.' &&
                  std::none_of(email.begin(), email.end(), [](char c) { return static_cast<unsigned char>(c) < 0x21; });
  if (!ok) throw Error(ErrorCode::unprocessable, "must be an e-mail address", "email");
}

void requireDisplayName(const std::string& name) {
  if (name.empty() || name.size() > 200) {
    throw Error(ErrorCode::unprocessable, "must be 1 to 200 bytes", "display_name");
  }
  if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    throw Error(ErrorCode::unprocessable, "must not contain control characters", "display_name");
  }
}

void requireRoleLinks(const NewUser& user) {
  if (user.role == Role::participant && !user.participantId) {
    throw Error(ErrorCode::unprocessable, "a participant user is tied to its participant record", "participant_id");
  }
  if (user.role != Role::participant && user.participantId) {
    throw Error(ErrorCode::unprocessable, "only a participant user has a participant_id", "participant_id");
  }
  if (user.role == Role::practitioner && !user.practitionerId) {
    throw Error(ErrorCode::unprocessable, "a practitioner user is tied to its practitioner", "practitioner_id");
  }
  if (user.role != Role::practitioner && user.practitionerId) {
    throw Error(ErrorCode::unprocessable, "only a practitioner user has a practitioner_id", "practitioner_id");
  }
}

// 16 characters from an unambiguous alphabet: about 82 bits.
std::string oneTimePassword() {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
  std::string password;
  while (password.size() < 16) {
    for (const unsigned char byte : randomBytes(32)) {
      if (byte >= 256 - 256 % kAlphabet.size()) continue;  // no modulo bias
      password.push_back(kAlphabet[byte % kAlphabet.size()]);
      if (password.size() == 16) break;
    }
  }
  return password;
}

}  // namespace

IdentityService::IdentityService(storage::Database& database, const KeyFileCipher& cipher, const KeyedHasher& lookup,
                                 const core::Clock& clock, IdentityOptions options)
    : database_(database),
      cipher_(cipher),
      lookup_(lookup),
      clock_(clock),
      options_(options),
      tokenCache_(clock, options.tokenCache) {}

std::string IdentityService::emailLookup(const std::string& email) const {
  return lookup_.hash("email\x1f" + normalizeEmail(email));
}

CreatedUser IdentityService::createUser(const NewUser& input, const AuditContext& context) {
  const std::string email = normalizeEmail(input.email);
  requireEmail(email);
  requireDisplayName(input.displayName);
  requireRoleLinks(input);
  CreatedUser created;
  std::string password;
  if (input.password) {
    requireAcceptablePassword(*input.password);
    password = *input.password;
  } else {
    password = oneTimePassword();
    created.oneTimePassword = password;
  }
  const std::string hash = hashPassword(password);  // slow: outside the transaction
  const auto now = clock_.now();
  created.user = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    if (tx.queryOne("SELECT id FROM users WHERE email_lookup = ?", {emailLookup(email)})) {
      throw Error(ErrorCode::conflict, "a user with this e-mail exists", "email");
    }
    tx.execute(
        "INSERT INTO users (email_lookup, email_enc, display_name_enc, role, password_hash, participant_id,"
        " practitioner_id, created_at, password_change_required) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {emailLookup(email), storage::Blob{}, storage::Blob{}, std::string(toString(input.role)), hash,
         storage::optional(input.participantId), storage::optional(input.practitionerId), now,
         std::int64_t{input.mustChangePassword ? 1 : 0}});
    const core::UserId id(tx.lastInsertId());
    // Sealed once the row has its id, which they are bound to.
    tx.execute("UPDATE users SET email_enc = ?, display_name_enc = ? WHERE id = ?",
               {storage::Blob{cipher_.encrypt(email, kEmailContext, id.value())},
                storage::Blob{cipher_.encrypt(input.displayName, kNameContext, id.value())}, storage::id(id)});
    recordAudit(tx,
                {context.actorUserId, "user.create", "user", id.toString(), context.requestId,
                 "role=" + std::string(toString(input.role))},
                now);
    return readUser(tx, id);
  });
  return created;
}

Session IdentityService::login(const std::string& email, const std::string& password, const AuditContext& context) {
  const auto found = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne("SELECT id, password_hash, disabled FROM users WHERE email_lookup = ?", {emailLookup(email)});
  });
  // Verify against a dummy hash when the user is unknown: same work, same answer.
  const std::string& hash = found ? found->text(1) : dummyPasswordHash();
  const bool passwordOk = verifyPassword(password, hash);
  if (!found || !passwordOk || found->boolean(2)) {
    throw Error(ErrorCode::unauthorized, "e-mail or password is not right");
  }
  const core::UserId userId = found->id<core::UserTag>(0);
  const IssuedToken token = newToken("pcs_");
  const auto now = clock_.now();
  const auto expires = now + options_.sessionLifetime;
  Session session;
  session.token = token.secret;
  session.expiresAt = expires;
  session.user = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute("INSERT INTO tokens (user_id, token_hash, kind, created_at, expires_at) VALUES (?, ?, 'session', ?, ?)",
               {storage::id(userId), token.hash, now, expires});
    recordAudit(tx, {userId, "auth.login", "user", userId.toString(), context.requestId, ""}, now);
    return readUser(tx, userId);
  });
  return session;
}

std::optional<Principal> IdentityService::authenticate(std::string_view bearerSecret) const {
  if (bearerSecret.size() < 8 || bearerSecret.size() > 200) return std::nullopt;
  const std::string hash = tokenHash(bearerSecret);
  if (auto cached = tokenCache_.find(hash)) return cached;
  const std::uint64_t generation = tokenCache_.generation();
  const auto now = clock_.now();
  const auto row = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne(
        "SELECT t.id, u.id, u.role, u.participant_id, u.practitioner_id, t.expires_at, u.password_change_required,"
        " t.last_used_at FROM tokens t"
        " JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)"
        " AND u.disabled = 0",
        {hash, now});
  });
  if (!row) return std::nullopt;
  const auto role = roleFromString(row->text(2));
  if (!role) return std::nullopt;
  Principal principal{row->id<core::UserTag>(1), *role, core::optionalId<core::ParticipantId>(row->optInt64(3)),
                      core::optionalId<core::PractitionerId>(row->optInt64(4)), row->id<core::TokenTag>(0),
                      row->boolean(6)};
  // Only when the cache is refreshed: a burst of requests writes nothing.
  stampLastUse(principal.tokenId, row->optInstant(7));
  tokenCache_.remember(hash, principal, row->optInstant(5), generation);
  return principal;
}

void IdentityService::stampLastUse(core::TokenId tokenId, std::optional<core::Instant> lastUsed) const {
  const auto now = clock_.now();
  if (lastUsed && *lastUsed > now - kLastUseResolution) return;
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    // The condition keeps it to once a minute across daemons too.
    tx.execute("UPDATE tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)",
               {now, storage::id(tokenId), now - kLastUseResolution});
  });
}

void IdentityService::logout(const Principal& principal, const AuditContext& context) {
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {now, storage::id(principal.tokenId)});
    recordAudit(tx,
                {principal.userId, "auth.logout", "user", principal.userId.toString(),
                 context.requestId, ""},
                now);
  });
  tokenCache_.forgetToken(principal.tokenId);
}

std::string IdentityService::createApiToken(core::UserId userId, const AuditContext& context) {
  const IssuedToken token = newToken("pca_");
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    readUser(tx, userId);  // 404 for an unknown user
    tx.execute("INSERT INTO tokens (user_id, token_hash, kind, created_at) VALUES (?, ?, 'api', ?)",
               {storage::id(userId), token.hash, now});
    recordAudit(tx, {context.actorUserId, "token.create", "user", userId.toString(), context.requestId, "api"}, now);
  });
  return token.secret;
}

UserView IdentityService::user(core::UserId id) const {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return readUser(tx, id); });
}

UserView IdentityService::readUser(storage::Transaction& tx, core::UserId id) const {
  const auto row = tx.queryOne(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {storage::id(id)});
  if (!row) throw Error(ErrorCode::not_found, "no such user");
  return userFromRow(*row);
}

UserView IdentityService::userFromRow(const storage::Row& row) const {
  UserView user;
  user.id = row.id<core::UserTag>(0);
  user.email = cipher_.decrypt(row.blob(1), kEmailContext, user.id.value());
  user.displayName = cipher_.decrypt(row.blob(2), kNameContext, user.id.value());
  user.role = roleFromString(row.text(3)).value_or(Role::participant);
  user.participantId = core::optionalId<core::ParticipantId>(row.optInt64(4));
  user.practitionerId = core::optionalId<core::PractitionerId>(row.optInt64(5));
  user.createdAt = row.instant(6);
  user.disabled = row.boolean(7);
  user.passwordChangeRequired = row.boolean(8);
  return user;
}

std::vector<UserView> IdentityService::users(const UserQuery& query) const {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    const auto role = query.role ? std::optional<std::string>(toString(*query.role)) : std::nullopt;
    storage::Filters where;
    where.add("role", "=", storage::optional(role));
    storage::Params params = where.params();
    params.insert(params.end(), {query.afterId, std::int64_t{query.limit}});
    std::vector<UserView> out;
    for (const auto& row : tx.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE " + where.sql() +
                                        " AND id > ? ORDER BY id LIMIT ?",
                                    params)) {
      out.push_back(userFromRow(row));
    }
    return out;
  });
}

std::int64_t IdentityService::revokeTokensOf(storage::Transaction& tx, core::UserId userId,
                                             std::optional<core::TokenId> keep) {
  return tx.execute("UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
                    {clock_.now(), storage::id(userId), keep ? keep->value() : std::int64_t{0}});
}

UserView IdentityService::setDisabled(core::UserId userId, bool disabled, const AuditContext& context) {
  if (disabled && context.actorUserId == userId) {
    throw Error(ErrorCode::unprocessable, "an admin cannot disable their own account", "id");
  }
  const auto now = clock_.now();
  auto user = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    readUser(tx, userId);  // 404 for an unknown user
    tx.execute("UPDATE users SET disabled = ? WHERE id = ?", {std::int64_t{disabled ? 1 : 0}, storage::id(userId)});
    // Enabling again resurrects no old session or token: the user signs in anew.
    const std::int64_t revoked = disabled ? revokeTokensOf(tx, userId) : 0;
    recordAudit(tx,
                {context.actorUserId, disabled ? "user.disable" : "user.enable", "user", userId.toString(),
                 context.requestId, disabled ? "tokens_revoked=" + std::to_string(revoked) : ""},
                now);
    return readUser(tx, userId);
  });
  tokenCache_.forgetUser(userId);
  return user;
}

std::vector<TokenView> IdentityService::tokens(core::UserId userId, std::int64_t afterId, int limit) const {
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    readUser(tx, userId);  // 404 for an unknown user
    std::vector<TokenView> out;
    for (const auto& row :
         tx.query("SELECT id, kind, created_at, last_used_at, expires_at FROM tokens WHERE user_id = ? AND id > ?"
                  " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY id LIMIT ?",
                  {storage::id(userId), afterId, now, std::int64_t{limit}})) {
      out.push_back({row.id<core::TokenTag>(0), row.text(1) == "api" ? TokenKind::api : TokenKind::session,
                     row.instant(2), row.optInstant(3), row.optInstant(4)});
    }
    return out;
  });
}

void IdentityService::revokeToken(core::UserId userId, core::TokenId tokenId, const AuditContext& context) {
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const auto changed = tx.execute(
        "UPDATE tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL"
        " AND (expires_at IS NULL OR expires_at > ?)",
        {now, storage::id(tokenId), storage::id(userId), now});
    if (changed == 0) throw Error(ErrorCode::not_found, "no such token");
    recordAudit(tx,
                {context.actorUserId, "token.revoke", "user", userId.toString(), context.requestId,
                 "token=" + tokenId.toString()},
                now);
  });
  tokenCache_.forgetToken(tokenId);
}

void IdentityService::changePassword(const Principal& principal, const std::string& currentPassword,
                                     const std::string& newPassword, const AuditContext& context) {
  requireAcceptablePassword(newPassword, "new_password");
  if (newPassword == currentPassword) {
    throw Error(ErrorCode::unprocessable, "must differ from the current password", "new_password");
  }
  const auto oldHash = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    const auto row = tx.queryOne("SELECT password_hash FROM users WHERE id = ?", {storage::id(principal.userId)});
    if (!row) throw Error(ErrorCode::not_found, "no such user");
    return row->text(0);
  });
  if (!verifyPassword(currentPassword, oldHash)) {
    throw Error(ErrorCode::unprocessable, "is not your current password", "current_password");
  }
  const std::string newHash = hashPassword(newPassword);  // slow: outside the transaction
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    // Only over the hash just verified: a change made meanwhile wins.
    const auto changed = tx.execute(
        "UPDATE users SET password_hash = ?, password_change_required = 0 WHERE id = ? AND password_hash = ?",
        {newHash, storage::id(principal.userId), oldHash});
    if (changed == 0) throw Error(ErrorCode::conflict, "the password was changed meanwhile; sign in again");
    const std::int64_t revoked = revokeTokensOf(tx, principal.userId, principal.tokenId);
    recordAudit(tx,
                {principal.userId, "user.password_change", "user", principal.userId.toString(),
                 context.requestId, "tokens_revoked=" + std::to_string(revoked)},
                now);
  });
  tokenCache_.forgetUser(principal.userId);
}

std::string IdentityService::resetPassword(core::UserId userId, const AuditContext& context) {
  const std::string password = oneTimePassword();
  const std::string hash = hashPassword(password);  // slow: outside the transaction
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    readUser(tx, userId);  // 404 for an unknown user
    tx.execute("UPDATE users SET password_hash = ?, password_change_required = 1 WHERE id = ?",
               {hash, storage::id(userId)});
    const std::int64_t revoked = revokeTokensOf(tx, userId);
    recordAudit(tx,
                {context.actorUserId, "user.password_reset", "user", userId.toString(), context.requestId,
                 "tokens_revoked=" + std::to_string(revoked)},
                now);
  });
  tokenCache_.forgetUser(userId);
  return password;
}

}  // namespace parcours::identity
