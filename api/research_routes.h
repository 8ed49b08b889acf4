#pragma once
// The research routes (docs/api.md "Research and audit"): studies, the
// de-identified export, aggregates, the data dictionary and the export log.

#include "api/app_context.h"
#include "research/research_service.h"

namespace parcours::api {

// REQUIRES: `research` outlives the router.
void addResearchRoutes(Router& router, AppContext& app, research::ResearchService& research);

}  // namespace parcours::api
