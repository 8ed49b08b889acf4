#include <charconv>
#include <variant>

#include "api/app_context.h"
#include "api/json.h"
#include "api/problem.h"
#include "api/request_fields.h"
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

Poco::JSON::Object userJson(const identity::UserView& user) {
  Poco::JSON::Object o;
  o.set("id", std::to_string(user.id));
  o.set("email", user.email);
  o.set("display_name", user.displayName);
  o.set("role", std::string(identity::toString(user.role)));
  o.set("participant_id",
        user.participantId ? Poco::Dynamic::Var(std::to_string(*user.participantId)) : Poco::Dynamic::Var());
  o.set("practitioner_id",
        user.practitionerId ? Poco::Dynamic::Var(std::to_string(*user.practitionerId)) : Poco::Dynamic::Var());
  o.set("created_at", core::formatInstantUtc(user.createdAt));
  o.set("disabled", user.disabled);
  o.set("password_change_required", user.passwordChangeRequired);
  return o;
}

// A user in an admin's list: a participant user's name and e-mail are that
// participant's personal data, which admins do not see (least privilege).
Poco::JSON::Object listedUserJson(const identity::UserView& user) {
  Poco::JSON::Object o = userJson(user);
  if (user.role == Role::participant) {
    o.set("email", Poco::Dynamic::Var());
    o.set("display_name", Poco::Dynamic::Var());
  }
  return o;
}

Poco::Dynamic::Var optionalInstant(const std::optional<core::Instant>& at) {
  return at ? Poco::Dynamic::Var(core::formatInstantUtc(*at)) : Poco::Dynamic::Var();
}

Poco::JSON::Object tokenJson(const identity::TokenView& token) {
  Poco::JSON::Object o;
  o.set("id", std::to_string(token.id));
  o.set("kind", token.kind == identity::TokenKind::api ? "api" : "session");
  o.set("created_at", core::formatInstantUtc(token.createdAt));
  o.set("last_used_at", optionalInstant(token.lastUsedAt));
  o.set("expires_at", optionalInstant(token.expiresAt));
  return o;
}

std::optional<std::int64_t> optionalIdField(const Poco::JSON::Object& body, const std::string& field) {
  const auto text = optionalString(body, field);
  if (!text) return std::nullopt;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || end != text->data() + text->size() || id <= 0) {
    throw Error(ErrorCode::unprocessable, "unknown id", field);
  }
  return id;
}

Response tooManyAttempts(std::chrono::seconds wait) {
  Response response = problemResponse(Error(ErrorCode::too_many_requests, "too many failed sign-ins; wait and retry"));
  response.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, wait.count())));
  return response;
}

}  // namespace

void addIdentityRoutes(Router& router, AppContext& app) {
  router.add("POST", "/api/v1/auth/login", [&app](Request& request) {
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
      const identity::Session session = app.identity.login(email, password, auditContextOf(request));
      attempt.succeeded(accountKey);
      Poco::JSON::Object o;
      o.set("token", session.token);
      o.set("expires_at", core::formatInstantUtc(session.expiresAt));
      o.set("user", userJson(session.user));
      o.set("password_change_required", session.user.passwordChangeRequired);
      return jsonResponse(200, o);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::unauthorized) attempt.failed();
      throw;
    }
  });

  router.add(
      "POST", "/api/v1/auth/logout",
      [&app](Request& request) {
        app.identity.logout(principalOf(request), auditContextOf(request));
        return Response::json(200, R"({"status":"signed out"})");
      },
      guardFor(beforePasswordChange(anySignedIn()), app.access));

  router.add(
      "POST", "/api/v1/users",
      [&app](Request& request) {
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
        user.participantId = optionalIdField(*body, "participant_id");
        user.practitionerId = optionalIdField(*body, "practitioner_id");
        if (user.participantId && !app.participants.exists(*user.participantId)) {
          throw Error(ErrorCode::unprocessable, "unknown participant", "participant_id");
        }
        if (user.practitionerId && !app.practitioners.exists(core::PractitionerId(*user.practitionerId))) {
          throw Error(ErrorCode::unprocessable, "unknown practitioner", "practitioner_id");
        }
        const identity::CreatedUser created = app.identity.createUser(user, auditContextOf(request));
        Poco::JSON::Object o = userJson(created.user);
        if (created.oneTimePassword) o.set("one_time_password", *created.oneTimePassword);
        return jsonResponse(201, o);
      },
      guardFor(roles({Role::admin}), app.access));

  router.add(
      "GET", "/api/v1/users/me",
      [&app](Request& request) { return jsonResponse(200, userJson(app.identity.user(principalOf(request).userId))); },
      guardFor(beforePasswordChange(anySignedIn()), app.access));

  router.add(
      "GET", "/api/v1/users",
      [&app](Request& request) {
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
        const auto users = app.identity.users(query);
        Poco::JSON::Array items;
        for (const auto& user : users) items.add(listedUserJson(user));
        return pageResponse(items, query.limit, users.empty() ? 0 : users.back().id);
      },
      guardFor(roles({Role::admin}), app.access));

  for (const bool disable : {true, false}) {
    router.add(
        "POST", disable ? "/api/v1/users/{id}/disable" : "/api/v1/users/{id}/enable",
        [&app, disable](Request& request) {
          return jsonResponse(200,
                              userJson(app.identity.setDisabled(idParam(request), disable, auditContextOf(request))));
        },
        guardFor(roles({Role::admin}), app.access));
  }

  const Access adminOrSelf = grants({{Role::admin, Scope::all},
                                     {Role::coordinator, Scope::self_user},
                                     {Role::practitioner, Scope::self_user},
                                     {Role::finance, Scope::self_user},
                                     {Role::participant, Scope::self_user},
                                     {Role::researcher, Scope::self_user}});
  router.add(
      "GET", "/api/v1/users/{id}/tokens",
      [&app](Request& request) {
        const int limit = limitParam(request);
        const auto cursor = request.queryValue("cursor");
        const auto tokens = app.identity.tokens(idParam(request), cursor ? cursorParam(*cursor) : 0, limit);
        Poco::JSON::Array items;
        for (const auto& token : tokens) items.add(tokenJson(token));
        return pageResponse(items, limit, tokens.empty() ? 0 : tokens.back().id);
      },
      guardFor(adminOrSelf, app.access));

  router.add(
      "DELETE", "/api/v1/users/{id}/tokens/{token_id}",
      [&app](Request& request) {
        app.identity.revokeToken(idParam(request), idParam(request, "token_id"), auditContextOf(request));
        return Response::json(200, R"({"status":"revoked"})");
      },
      guardFor(adminOrSelf, app.access));

  router.add(
      "POST", "/api/v1/users/me/password",
      [&app](Request& request) {
        const auto body = request.jsonObject();
        const std::string current = requireString(*body, "current_password");
        const std::string next = requireString(*body, "new_password");
        const identity::Principal& principal = principalOf(request);
        // A stolen session must not become a way to guess the password.
        auto admission = app.throttle.begin({"password:" + std::to_string(principal.userId)});
        if (const auto* wait = std::get_if<std::chrono::seconds>(&admission)) return tooManyAttempts(*wait);
        auto& attempt = std::get<identity::LoginAttempt>(admission);
        try {
          app.identity.changePassword(principal, current, next, auditContextOf(request));
        } catch (const Error& e) {
          const bool wrongCurrent = !e.fieldErrors().empty() && e.fieldErrors().front().field == "current_password";
          if (wrongCurrent) attempt.failed();
          throw;
        }
        attempt.succeeded("password:" + std::to_string(principal.userId));
        return Response::json(200, R"({"status":"password changed"})");
      },
      guardFor(beforePasswordChange(anySignedIn()), app.access));

  router.add(
      "POST", "/api/v1/users/{id}/password-reset",
      [&app](Request& request) {
        Poco::JSON::Object o;
        o.set("one_time_password", app.identity.resetPassword(idParam(request), auditContextOf(request)));
        return jsonResponse(200, o);
      },
      guardFor(roles({Role::admin}), app.access));

  router.add(
      "POST", "/api/v1/users/{id}/tokens",
      [&app](Request& request) {
        Poco::JSON::Object o;
        o.set("token", app.identity.createApiToken(idParam(request), auditContextOf(request)));
        return jsonResponse(201, o);
      },
      // Only the user: a token minted by an admin for someone else would hand
      // the admin that person's access (least privilege).
      guardFor(selfOnly(), app.access));

  router.add(
      "GET", "/api/v1/audit",
      [&app](Request& request) {
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
          query.actorUserId = id;
        }
        const auto instantParam = [&](const char* name) -> std::optional<core::Instant> {
          const auto text = request.queryValue(name);
          if (!text) return std::nullopt;
          try {
            return core::parseInstant(*text);
          } catch (const Error&) {
            throw Error(ErrorCode::bad_request, "must be an RFC 3339 instant", name);
          }
        };
        query.from = instantParam("from");
        query.to = instantParam("to");
        if (const auto cursor = request.queryValue("cursor")) query.afterId = cursorParam(*cursor);
        const auto records = app.database.transact(
            storage::TxMode::read, [&](storage::Transaction& tx) { return identity::findAudit(tx, query); });
        Poco::JSON::Array items;
        for (const auto& r : records) {
          Poco::JSON::Object o;
          o.set("id", std::to_string(r.id));
          o.set("at", core::formatInstantUtc(r.at));
          o.set("actor",
                r.entry.actorUserId ? Poco::Dynamic::Var(std::to_string(*r.entry.actorUserId)) : Poco::Dynamic::Var());
          o.set("action", r.entry.action);
          o.set("subject", r.entry.subjectType + ":" + r.entry.subjectId);
          o.set("request_id", r.entry.requestId.own);
          o.set("client_request_id",
                r.entry.requestId.client.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.entry.requestId.client));
          o.set("detail", r.entry.detail);
          items.add(o);
        }
        return pageResponse(items, query.limit, records.empty() ? 0 : records.back().id);
      },
      guardFor(roles({Role::admin}), app.access));
}

}  // namespace parcours::api
