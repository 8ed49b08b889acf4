#include "api/health_routes.h"

#include "api/problem.h"

namespace parcours::api {

void addHealthRoutes(Router& router, storage::Database& database, const Metrics& metrics) {
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
      [](Request& request) {
        // docs/api.md: anyone on loopback, else admin. This guard lets only
        // loopback through; admins off loopback get 401 for now.
        if (!request.fromLoopback) {
          throw core::Error(core::ErrorCode::unauthorized, "metrics require an admin token off loopback");
        }
      });
}

}  // namespace parcours::api
