#pragma once
// Route tables: each route is ONE named function, registered from a table
// that declares, beside its method and pattern, who may call it (api/access.h)
// and how it honours Idempotency-Key. The guard and the idempotency wrapper
// run around the function in one place, so a handler only parses, calls the
// domain and formats:
//
//   Response getParticipant(AppRoute& route, Request& request);
//   ...
//   addRoutes(router, app, app.access, &app.idempotent, {
//       {"GET", "/api/v1/participants/{id}", getParticipant, readers},
//       {"POST", "/api/v1/participants/{id}/commitment", commit, coordinator, Idempotency::honoured},
//   });
//
// A route whose transaction locks rows that may not exist yet names a
// `prepare` function, run before that transaction opens.
//
// Router::add still takes a bare handler and guard for routes not converted.

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/access.h"
#include "api/idempotency.h"
#include "api/router.h"
#include "core/error.h"

namespace parcours::api {

enum class Idempotency {
  none,      // no key is read; the function opens its own transactions
  honoured,  // an Idempotency-Key, when sent, replays the first answer
  required,  // the key must be sent (400 without it)
};

// What a route's function gets besides the request: the services it was
// registered with and, on an idempotent route, the write transaction in which
// the key's record commits with the write.
template <class Services>
class RouteContext {
 public:
  RouteContext(Services& services, storage::Transaction* transaction) : services_(services), tx_(transaction) {}

  Services& services() const noexcept { return services_; }
  // REQUIRES: the route is declared idempotent (honoured or required).
  storage::Transaction& tx() const {
    if (tx_ == nullptr) throw core::Error(core::ErrorCode::internal, "route has no idempotent transaction");
    return *tx_;
  }

 private:
  Services& services_;
  storage::Transaction* tx_;
};

template <class Services>
struct RouteDef {
  std::string method;
  std::string pattern;
  Response (*handler)(RouteContext<Services>&, Request&);
  Access access;
  Idempotency idempotency = Idempotency::none;
  // Runs after the guard and before the route's transaction opens, outside
  // any transaction: reads the request (its 400s and 404s come first, as
  // before) and creates what the transaction will lock (calendar lock rows
  // are made in a transaction of their own, docs/decisions.md "Scheduling").
  void (*prepare)(RouteContext<Services>&, Request&) = nullptr;
  // Runs once the route has answered without error, after its transaction
  // committed (or its stored answer was replayed): to wake a background
  // worker that must see the write.
  void (*afterCommit)(Services&) = nullptr;
};

// Registers each route of `table` with its guard and, when declared, the
// idempotency wrapper (the key is scoped to "METHOD pattern" and the caller).
// The handlers hold `services` (shared, or borrowed in the overload below).
// REQUIRES: resolver and idempotent outlive the router; `idempotent` is set
// when a route declares idempotency.
template <class Services>
void addRoutes(Router& router, std::shared_ptr<Services> services, const AccessResolver& resolver,
               IdempotentWrites* idempotent, const std::vector<RouteDef<Services>>& table) {
  for (const RouteDef<Services>& def : table) {
    const auto function = def.handler;
    const auto prepare = def.prepare;
    Handler handler;
    if (def.idempotency == Idempotency::none) {
      handler = [services, function, prepare](Request& request) {
        RouteContext<Services> context(*services, nullptr);
        if (prepare != nullptr) prepare(context, request);
        return function(context, request);
      };
    } else {
      if (idempotent == nullptr) throw std::logic_error("idempotent route without IdempotentWrites: " + def.pattern);
      const KeyRule rule = def.idempotency == Idempotency::required ? KeyRule::required : KeyRule::optional;
      handler = [services, idempotent, function, prepare, rule,
                 scope = def.method + " " + def.pattern](Request& request) {
        if (prepare != nullptr) {
          RouteContext<Services> outside(*services, nullptr);
          prepare(outside, request);
        }
        return idempotent->run(request, scope, rule, [&](storage::Transaction& tx) {
          RouteContext<Services> context(*services, &tx);
          return function(context, request);
        });
      };
    }
    if (def.afterCommit != nullptr) {
      handler = [services, inner = std::move(handler), after = def.afterCommit](Request& request) {
        Response response = inner(request);
        after(*services);
        return response;
      };
    }
    router.add(def.method, def.pattern, std::move(handler), guardFor(def.access, resolver));
  }
}

// REQUIRES: services outlives the router.
template <class Services>
void addRoutes(Router& router, Services& services, const AccessResolver& resolver, IdempotentWrites* idempotent,
               const std::vector<RouteDef<Services>>& table) {
  addRoutes(router, std::shared_ptr<Services>(std::shared_ptr<Services>(), &services), resolver, idempotent, table);
}

}  // namespace parcours::api
