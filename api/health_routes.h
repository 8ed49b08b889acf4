#pragma once
// GET /healthz (the process runs), GET /readyz (the database answers) and
// GET /metrics (Prometheus text: anyone on loopback, else an admin's bearer
// token; "loopback" is the client as api/client_origin.h finds it, so a
// request a trusted proxy forwarded from elsewhere needs the token).

#include "api/access.h"
#include "api/metrics.h"
#include "api/router.h"
#include "storage/database.h"

namespace parcours::api {

// REQUIRES: database, metrics and access outlive the router.
void addHealthRoutes(Router& router, storage::Database& database, const Metrics& metrics, const AccessResolver& access);

}  // namespace parcours::api
