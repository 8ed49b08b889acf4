#include "api/health_routes.h"

#include "api/problem.h"

namespace parcours::api {

void addHealthRoutes(Router& router, storage::Database& database, const Metrics& metrics,
                     const AccessResolver& access) {
  router.add("GET", "/healthz", [](Request&) { return Response::json(200, R"({"status":"ok"})"); });

  router.add("GET", "/readyz", [&database](Request&) {
    if (database.ping()) return Response::json(200, R"({"status":"ready"})");
    return problemResponse(core::Error(core::ErrorCode::unavailable, "the database does not answer"));
  });

  router.add(
      "GET", "/metrics",
      [&database, &metrics](Request&) {
        return Response::text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(database.poolStats()));
      },
      [admin = guardFor(roles({identity::Role::admin}), access)](Request& request) {
        // Anyone on loopback (a local scraper), else an admin: 401 without a
        // valid token, 403 for another role.
        if (!request.fromLoopback) admin(request);
      });
}

}  // namespace parcours::api
