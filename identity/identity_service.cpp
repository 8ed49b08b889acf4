#include "identity/identity_service.h"

#include <algorithm>

#include "identity/password_hasher.h"
#include "identity/secure_random.h"
#include "identity/token.h"

namespace parcours::identity {

using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kEmailContext = "users.email";
constexpr const char* kNameContext = "users.display_name";

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
        " practitioner_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {emailLookup(email), storage::Blob{}, storage::Blob{}, std::string(toString(input.role)), hash,
         storage::optional(input.participantId), storage::optional(input.practitionerId), now});
    const std::int64_t id = tx.lastInsertId();
    // Sealed once the row has its id, which they are bound to.
    tx.execute("UPDATE users SET email_enc = ?, display_name_enc = ? WHERE id = ?",
               {storage::Blob{cipher_.encrypt(email, kEmailContext, id)},
                storage::Blob{cipher_.encrypt(input.displayName, kNameContext, id)}, id});
    recordAudit(tx,
                {context.actorUserId, "user.create", "user", std::to_string(id), context.requestId,
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
  const std::int64_t userId = found->int64(0);
  const IssuedToken token = newToken("pcs_");
  const auto now = clock_.now();
  const auto expires = now + options_.sessionLifetime;
  Session session;
  session.token = token.secret;
  session.expiresAt = expires;
  session.user = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute("INSERT INTO tokens (user_id, token_hash, kind, created_at, expires_at) VALUES (?, ?, 'session', ?, ?)",
               {userId, token.hash, now, expires});
    recordAudit(tx, {userId, "auth.login", "user", std::to_string(userId), context.requestId, ""}, now);
    return readUser(tx, userId);
  });
  return session;
}

std::optional<Principal> IdentityService::authenticate(std::string_view bearerSecret) const {
  if (bearerSecret.size() < 8 || bearerSecret.size() > 200) return std::nullopt;
  const std::string hash = tokenHash(bearerSecret);
  if (auto cached = tokenCache_.find(hash)) return cached;
  const auto now = clock_.now();
  const auto row = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne(
        "SELECT t.id, u.id, u.role, u.participant_id, u.practitioner_id, t.expires_at FROM tokens t"
        " JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)"
        " AND u.disabled = 0",
        {hash, now});
  });
  if (!row) return std::nullopt;
  const auto role = roleFromString(row->text(2));
  if (!role) return std::nullopt;
  Principal principal{row->int64(1), *role, row->optInt64(3), row->optInt64(4), row->int64(0)};
  tokenCache_.remember(hash, principal, row->optInstant(5));
  return principal;
}

void IdentityService::logout(const Principal& principal, const AuditContext& context) {
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {now, principal.tokenId});
    recordAudit(tx, {principal.userId, "auth.logout", "user", std::to_string(principal.userId), context.requestId, ""},
                now);
  });
  tokenCache_.forgetToken(principal.tokenId);
}

std::string IdentityService::createApiToken(std::int64_t userId, const AuditContext& context) {
  const IssuedToken token = newToken("pca_");
  const auto now = clock_.now();
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    readUser(tx, userId);  // 404 for an unknown user
    tx.execute("INSERT INTO tokens (user_id, token_hash, kind, created_at) VALUES (?, ?, 'api', ?)",
               {userId, token.hash, now});
    recordAudit(tx, {context.actorUserId, "token.create", "user", std::to_string(userId), context.requestId, "api"},
                now);
  });
  return token.secret;
}

UserView IdentityService::user(std::int64_t id) const {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return readUser(tx, id); });
}

UserView IdentityService::readUser(storage::Transaction& tx, std::int64_t id) const {
  const auto row = tx.queryOne(
      "SELECT id, email_enc, display_name_enc, role, participant_id, practitioner_id, created_at FROM users WHERE id = "
      "?",
      {id});
  if (!row) throw Error(ErrorCode::not_found, "no such user");
  UserView user;
  user.id = row->int64(0);
  user.email = cipher_.decrypt(row->blob(1), kEmailContext, user.id);
  user.displayName = cipher_.decrypt(row->blob(2), kNameContext, user.id);
  user.role = roleFromString(row->text(3)).value_or(Role::participant);
  user.participantId = row->optInt64(4);
  user.practitionerId = row->optInt64(5);
  user.createdAt = row->instant(6);
  return user;
}

}  // namespace parcours::identity
