#include "api/health_routes.h"

#include "api/json_writer.h"
#include "api/problem.h"
#include "api/route_table.h"

namespace parcours::api {

namespace {

struct HealthServices {
  storage::Database& database;
  const Metrics& metrics;
};
using Route = RouteContext<HealthServices>;

Response healthz(Route&, Request&) {
  return statusResponse("ok");
}

Response readyz(Route& route, Request&) {
  if (route.services().database.ping()) return statusResponse("ready");
  return problemResponse(core::Error(core::ErrorCode::unavailable, "the database does not answer"));
}

Response metricsText(Route& route, Request&) {
  const HealthServices& s = route.services();
  return Response::text(200, "text/plain; version=0.0.4; charset=utf-8", s.metrics.render(s.database.poolStats()));
}

}  // namespace

void addHealthRoutes(Router& router, storage::Database& database, const Metrics& metrics,
                     const AccessResolver& access) {
  addRoutes<HealthServices>(router, std::make_shared<HealthServices>(HealthServices{database, metrics}), access,
                            nullptr,
                            {
                                {"GET", "/healthz", healthz, anyone()},
                                {"GET", "/readyz", readyz, anyone()},
                                // Anyone on loopback (a local scraper), else an admin: 401 without a
                                // valid token, 403 for another role.
                                {"GET", "/metrics", metricsText, loopbackOr(roles({identity::Role::admin}))},
                            });
}

}  // namespace parcours::api
