#pragma once
// Every route the daemon serves, registered in one place.

#include "api/metrics.h"
#include "api/router.h"
#include "daemon/services.h"

namespace parcours::daemon {

// REQUIRES: everything passed outlives the router.
void addAllRoutes(api::Router& router, Services& services, storage::Database& database, const api::Metrics& metrics);

}  // namespace parcours::daemon
