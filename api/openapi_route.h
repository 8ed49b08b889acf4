#pragma once
// GET /api/v1/openapi.yaml — docs/openapi.yaml, embedded at build time so the
// daemon serves the document it was built with, wherever it runs.

#include "api/router.h"

namespace parcours::api {

void addOpenApiRoute(Router& router);

}  // namespace parcours::api
