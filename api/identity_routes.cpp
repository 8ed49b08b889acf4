#include <charconv>
#include <variant>

#include <Poco/Net/HTTPServerRequest.h>

#include "api/app_context.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/page_session.h"
#include "api/problem.h"
#include "api/request_fields.h"
#include "api/route_table.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

identity::AuditContext auditContextOf(const Request& request) {
  identity::AuditContext context;
  if (request.principal) context.actorUserId = request.principal->userId;
  context.requestId = identity::RequestIds(request.requestId, request.clientRequestId);
  return context;
}

std::int64_t idParam(const Request& request, const std::string& name) {
  const std::string& text = request.param(name);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
    throw Error(ErrorCode::not_found, "no such resource");
  return id;
}

int limitParam(const Request& request) {
  return static_cast<int>(intQuery(request, "limit", 1, 500).value_or(50));
}

std::int64_t cursorParam(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 0) {
    throw Error(ErrorCode::bad_request, "bad cursor", "cursor");
  }
  return id;
}

namespace {

using Route = RouteContext<AppContext>;

std::string formatInstant(core::Instant at) {
  return core::formatInstantUtc(at);
}

// The fields of a user, inside an object the caller opened. A participant
// user's name and e-mail are that participant's personal data, which admins
// do not see in the users list (least privilege): `hidePersonal`.
void writeUserFields(JsonWriter& w, const identity::UserView& user, bool hidePersonal = false) {
  w.field("id", user.id);
  if (hidePersonal) {
    w.key("email").null().key("display_name").null();
  } else {
    w.field("email", user.email).field("display_name", user.displayName);
  }
  w.field("role", identity::toString(user.role));
  w.field("participant_id", user.participantId).field("practitioner_id", user.practitionerId);
  w.field("created_at", core::formatInstantUtc(user.createdAt))
      .field("disabled", user.disabled)
      .field("password_change_required", user.passwordChangeRequired);
}

Response userResponse(int status, const identity::UserView& user) {
  JsonWriter w;
  w.beginObject();
  writeUserFields(w, user);
  w.endObject();
  return jsonResponse(status, w);
}

void writeListedUser(JsonWriter& w, const identity::UserView& user) {
  w.beginObject();
  writeUserFields(w, user, user.role == Role::participant);
  w.endObject();
}

void writeToken(JsonWriter& w, const identity::TokenView& token) {
  w.beginObject()
      .field("id", token.id)
      .field("kind", token.kind == identity::TokenKind::api ? "api" : "session")
      .field("created_at", core::formatInstantUtc(token.createdAt));
  w.field("last_used_at", token.lastUsedAt, formatInstant).field("expires_at", token.expiresAt, formatInstant);
  w.endObject();
}

void writeAuditRecord(JsonWriter& w, const identity::AuditRecord& r) {
  w.beginObject().field("id", std::to_string(r.id)).field("at", core::formatInstantUtc(r.at));
  w.field("actor", r.entry.actorUserId);
  w.field("action", r.entry.action)
      .field("subject", r.entry.subjectType + ":" + r.entry.subjectId)
      .field("request_id", r.entry.requestId.own);
  w.key("client_request_id");
  if (r.entry.requestId.client.empty()) {
    w.null();
  } else {
    w.value(r.entry.requestId.client);
  }
  w.field("detail", r.entry.detail).endObject();
}

template <class TypedId>
std::optional<TypedId> optionalIdField(const Poco::JSON::Object& body, const std::string& field) {
  const auto text = optionalString(body, field);
  if (!text) return std::nullopt;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || end != text->data() + text->size() || id <= 0) {
    throw Error(ErrorCode::unprocessable, "unknown id", field);
  }
  return TypedId(id);
}

Response tooManyAttempts(std::chrono::seconds wait) {
  Response response = problemResponse(Error(ErrorCode::too_many_requests, "too many failed sign-ins; wait and retry"));
  response.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, wait.count())));
  return response;
}

// Signs in through the login throttle and the password rules: shared by the
// bearer sign-in and the pages' cookie sign-in, so neither is a way around
// the other's limits. → the session, or the 429 to answer.
std::variant<identity::Session, Response> signIn(AppContext& app, Request& request) {
  const auto body = request.jsonObject();
  const std::string email = requireString(*body, "email");
  const std::string password = requireString(*body, "password");
  const std::string accountKey = "account:" + app.identity.emailLookup(email);
  const std::string clientKey = "client:" + request.clientAddress;
  // Reserved before the slow password check, so that parallel attempts
  // cannot all pass the check before any failure is counted.
  auto admission = app.throttle.begin({accountKey, clientKey});
  if (const auto* wait = std::get_if<std::chrono::seconds>(&admission)) return tooManyAttempts(*wait);
  auto& attempt = std::get<identity::LoginAttempt>(admission);
  try {
    identity::Session session = app.identity.login(email, password, auditContextOf(request));
    attempt.succeeded(accountKey);
    return session;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::unauthorized) attempt.failed();
    throw;
  }
}

Response login(Route& route, Request& request) {
  auto outcome = signIn(route.services(), request);
  if (auto* refusal = std::get_if<Response>(&outcome)) return std::move(*refusal);
  const auto& session = std::get<identity::Session>(outcome);
  JsonWriter w;
  w.beginObject()
      .field("token", session.token)
      .field("expires_at", core::formatInstantUtc(session.expiresAt))
      .key("user")
      .beginObject();
  writeUserFields(w, session.user);
  w.endObject().field("password_change_required", session.user.passwordChangeRequired).endObject();
  return jsonResponse(200, w);
}

// The pages' sign-in: the same session, its secret in an HttpOnly cookie the
// page script never reads, and the CSRF token the script sends on writes.
Response startPageSession(Route& route, Request& request) {
  // A form on another site cannot send this Content-Type without a CORS
  // preflight (which we never grant): no signing a victim into our account.
  if (!request.raw || !isJsonContentType(request.raw->getContentType())) {
    throw Error(ErrorCode::bad_request, "Content-Type must be application/json");
  }
  AppContext& app = route.services();
  auto outcome = signIn(app, request);
  if (auto* refusal = std::get_if<Response>(&outcome)) return std::move(*refusal);
  const auto& session = std::get<identity::Session>(outcome);
  JsonWriter w;
  w.beginObject().key("user").beginObject();
  writeUserFields(w, session.user);
  w.endObject()
      .field("csrf_token", csrfTokenFor(session.token))
      .field("expires_at", core::formatInstantUtc(session.expiresAt))
      .field("password_change_required", session.user.passwordChangeRequired)
      .endObject();
  Response response = jsonResponse(200, w);
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(session.expiresAt - app.clock.now());
  response.headers.emplace_back("Set-Cookie", sessionCookie(session.token, lifetime, request.https));
  return response;
}

// The signed-in page's own session: who, and the CSRF token a page opened
// after sign-in (a new tab) needs for its writes. Only our own origin can
// read the answer (no CORS), and a cross-site request carries no cookie.
Response getPageSession(Route& route, Request& request) {
  if (!request.principal) {
    // Nobody signed in: a plain answer, so that a page asking on arrival logs no error.
    JsonWriter w;
    w.beginObject().key("user").null().key("csrf_token").null().field("password_change_required", false).endObject();
    return jsonResponse(200, w);
  }
  const identity::Principal& who = principalOf(request);
  const identity::UserView user = route.services().identity.user(who.userId);
  JsonWriter w;
  w.beginObject().key("user").beginObject();
  writeUserFields(w, user);
  w.endObject().key("csrf_token");
  const auto secret = request.viaSessionCookie ? cookieValue(request.cookies, kSessionCookie) : std::nullopt;
  if (secret) {
    w.value(csrfTokenFor(*secret));
  } else {
    w.null();
  }
  w.field("password_change_required", who.passwordChangeRequired).endObject();
  return jsonResponse(200, w);
}

// Signs out the session that authenticated the request and clears the cookie.
Response endPageSession(Route& route, Request& request) {
  route.services().identity.logout(principalOf(request), auditContextOf(request));
  Response response = statusResponse("signed out");
  response.headers.emplace_back("Set-Cookie", clearedSessionCookie(request.https));
  return response;
}

Response logout(Route& route, Request& request) {
  route.services().identity.logout(principalOf(request), auditContextOf(request));
  return statusResponse("signed out");
}

Response createUser(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto body = request.jsonObject();
  identity::NewUser user;
  user.email = requireString(*body, "email");
  user.displayName = requireString(*body, "display_name");
  const std::string role = requireString(*body, "role");
  const auto parsedRole = identity::roleFromString(role);
  if (!parsedRole) {
    throw Error(ErrorCode::unprocessable,
                "must be one of admin, coordinator, practitioner, finance, participant, researcher", "role");
  }
  user.role = *parsedRole;
  user.password = optionalString(*body, "password");
  user.participantId = optionalIdField<core::ParticipantId>(*body, "participant_id");
  user.practitionerId = optionalIdField<core::PractitionerId>(*body, "practitioner_id");
  if (user.participantId && !app.participants.exists(*user.participantId)) {
    throw Error(ErrorCode::unprocessable, "unknown participant", "participant_id");
  }
  if (user.practitionerId && !app.practitioners.exists(*user.practitionerId)) {
    throw Error(ErrorCode::unprocessable, "unknown practitioner", "practitioner_id");
  }
  const identity::CreatedUser created = app.identity.createUser(user, auditContextOf(request));
  JsonWriter w;
  w.beginObject();
  writeUserFields(w, created.user);
  if (created.oneTimePassword) w.field("one_time_password", *created.oneTimePassword);
  w.endObject();
  return jsonResponse(201, w);
}

Response getMe(Route& route, Request& request) {
  return userResponse(200, route.services().identity.user(principalOf(request).userId));
}

Response listUsers(Route& route, Request& request) {
  identity::UserQuery query;
  query.limit = limitParam(request);
  if (const auto role = request.queryValue("role")) {
    query.role = identity::roleFromString(*role);
    if (!query.role) {
      throw Error(ErrorCode::bad_request,
                  "must be one of admin, coordinator, practitioner, finance, participant, researcher", "role");
    }
  }
  if (const auto cursor = request.queryValue("cursor")) query.afterId = cursorParam(*cursor);
  const auto users = route.services().identity.users(query);
  return pageResponse(users, query.limit, writeListedUser, [](const identity::UserView& u) { return u.id.value(); });
}

Response disableUser(Route& route, Request& request) {
  return userResponse(
      200, route.services().identity.setDisabled(pathId<core::UserId>(request), true, auditContextOf(request)));
}

Response enableUser(Route& route, Request& request) {
  return userResponse(
      200, route.services().identity.setDisabled(pathId<core::UserId>(request), false, auditContextOf(request)));
}

Response listTokens(Route& route, Request& request) {
  const int limit = limitParam(request);
  const auto cursor = request.queryValue("cursor");
  const auto tokens =
      route.services().identity.tokens(pathId<core::UserId>(request), cursor ? cursorParam(*cursor) : 0, limit);
  return pageResponse(tokens, limit, writeToken, [](const identity::TokenView& t) { return t.id.value(); });
}

Response revokeToken(Route& route, Request& request) {
  route.services().identity.revokeToken(pathId<core::UserId>(request), pathId<core::TokenId>(request, "token_id"),
                                        auditContextOf(request));
  return statusResponse("revoked");
}

Response changePassword(Route& route, Request& request) {
  AppContext& app = route.services();
  const auto body = request.jsonObject();
  const std::string current = requireString(*body, "current_password");
  const std::string next = requireString(*body, "new_password");
  const identity::Principal& principal = principalOf(request);
  // A stolen session must not become a way to guess the password.
  const std::string throttleKey = "password:" + principal.userId.toString();
  auto admission = app.throttle.begin({throttleKey});
  if (const auto* wait = std::get_if<std::chrono::seconds>(&admission)) return tooManyAttempts(*wait);
  auto& attempt = std::get<identity::LoginAttempt>(admission);
  try {
    app.identity.changePassword(principal, current, next, auditContextOf(request));
  } catch (const Error& e) {
    const bool wrongCurrent = !e.fieldErrors().empty() && e.fieldErrors().front().field == "current_password";
    if (wrongCurrent) attempt.failed();
    throw;
  }
  attempt.succeeded(throttleKey);
  return statusResponse("password changed");
}

// {"<name>": "<secret>"}: a secret shown once.
Response secretResponse(int status, std::string_view name, const std::string& secret) {
  JsonWriter w;
  w.beginObject().field(name, secret).endObject();
  return jsonResponse(status, w);
}

Response resetPassword(Route& route, Request& request) {
  const auto user = pathId<core::UserId>(request);
  return secretResponse(200, "one_time_password",
                        route.services().identity.resetPassword(user, auditContextOf(request)));
}

Response createApiToken(Route& route, Request& request) {
  const auto user = pathId<core::UserId>(request);
  return secretResponse(201, "token", route.services().identity.createApiToken(user, auditContextOf(request)));
}

std::optional<core::Instant> instantQuery(const Request& request, const char* name) {
  const auto text = request.queryValue(name);
  if (!text) return std::nullopt;
  try {
    return core::parseInstant(*text);
  } catch (const Error&) {
    throw Error(ErrorCode::bad_request, "must be an RFC 3339 instant", name);
  }
}

Response readAudit(Route& route, Request& request) {
  identity::AuditQuery query;
  query.limit = limitParam(request);
  if (const auto subject = request.queryValue("subject")) {
    const auto colon = subject->find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == subject->size()) {
      throw Error(ErrorCode::bad_request, "must be TYPE:ID", "subject");
    }
    query.subjectType = subject->substr(0, colon);
    query.subjectId = subject->substr(colon + 1);
  }
  if (const auto actor = request.queryValue("actor")) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(actor->data(), actor->data() + actor->size(), id);
    if (ec != std::errc() || end != actor->data() + actor->size())
      throw Error(ErrorCode::bad_request, "must be a user id", "actor");
    query.actorUserId = core::UserId(id);
  }
  query.from = instantQuery(request, "from");
  query.to = instantQuery(request, "to");
  if (const auto cursor = request.queryValue("cursor")) query.afterId = cursorParam(*cursor);
  const auto records = route.services().database.transact(
      storage::TxMode::read, [&](storage::Transaction& tx) { return identity::findAudit(tx, query); });
  return pageResponse(records, query.limit, writeAuditRecord, [](const identity::AuditRecord& r) { return r.id; });
}

}  // namespace

void addIdentityRoutes(Router& router, AppContext& app) {
  const Access admin = roles({Role::admin});
  const Access signedIn = beforePasswordChange(anySignedIn());
  const Access adminOrSelf = grants({{Role::admin, Scope::all},
                                     {Role::coordinator, Scope::self_user},
                                     {Role::practitioner, Scope::self_user},
                                     {Role::finance, Scope::self_user},
                                     {Role::participant, Scope::self_user},
                                     {Role::researcher, Scope::self_user}});
  addRoutes<AppContext>(router, app, app.access, &app.idempotent,
                        {
                            {"POST", "/api/v1/auth/login", login, anyone()},
                            {"POST", "/api/v1/auth/logout", logout, signedIn},
                            {"POST", "/api/v1/auth/session", startPageSession, anyone()},
                            {"GET", "/api/v1/auth/session", getPageSession, anyoneSignedInOrNot()},
                            {"DELETE", "/api/v1/auth/session", endPageSession, signedIn},
                            {"POST", "/api/v1/users", createUser, admin},
                            {"GET", "/api/v1/users/me", getMe, signedIn},
                            {"GET", "/api/v1/users", listUsers, admin},
                            {"POST", "/api/v1/users/{id}/disable", disableUser, admin},
                            {"POST", "/api/v1/users/{id}/enable", enableUser, admin},
                            {"GET", "/api/v1/users/{id}/tokens", listTokens, adminOrSelf},
                            {"DELETE", "/api/v1/users/{id}/tokens/{token_id}", revokeToken, adminOrSelf},
                            {"POST", "/api/v1/users/me/password", changePassword, signedIn},
                            {"POST", "/api/v1/users/{id}/password-reset", resetPassword, admin},
                            // Only the user: a token minted by an admin for someone else would hand
                            // the admin that person's access (least privilege).
                            {"POST", "/api/v1/users/{id}/tokens", createApiToken, selfOnly()},
                            {"GET", "/api/v1/audit", readAudit, admin},
                        });
}

}  // namespace parcours::api
