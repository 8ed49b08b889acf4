#pragma once
// GET /healthz (the process runs), GET /readyz (the database answers) and
// GET /metrics (Prometheus text; loopback only until signed-in admins exist).

#include "api/metrics.h"
#include "api/router.h"
#include "storage/database.h"

namespace parcours::api {

// REQUIRES: database and metrics outlive the router.
void addHealthRoutes(Router& router, storage::Database& database, const Metrics& metrics);

}  // namespace parcours::api
