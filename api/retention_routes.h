#pragma once
// The retention route (docs/api.md "Research and audit"): an admin runs
// retention now, or asks which files a run would anonymise (dry run).

#include "api/access.h"
#include "api/router.h"
#include "retention/retention_service.h"

namespace parcours::api {

// Registers POST /api/v1/retention/run (admin).
void addRetentionRoutes(Router& router, retention::RetentionService& retention, const AccessResolver& access);

}  // namespace parcours::api
