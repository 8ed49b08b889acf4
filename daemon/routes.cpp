#include "daemon/routes.h"

#include "api/health_routes.h"
#include "api/openapi_route.h"
#include "api/research_routes.h"
#include "api/retention_routes.h"

namespace parcours::daemon {

void addAllRoutes(api::Router& router, Services& services, storage::Database& database, const api::Metrics& metrics) {
  api::addHealthRoutes(router, database, metrics, services.app().access);
  api::addOpenApiRoute(router);
  api::addIdentityRoutes(router, services.app());
  api::addParticipantRoutes(router, services.app());
  api::addPractitionerRoutes(router, services.app());
  api::addCalendarRoutes(router, services.app());
  api::addSchedulingRoutes(router, services.app());
  api::addAwarenessDayRoutes(router, services.app());
  api::addDocumentRoutes(router, services.app());
  api::addBillingRoutes(router, services.app());
  api::addFinanceRoutes(router, services.app());
  api::addReportRoutes(router, services.app());
  api::addCompletionRoutes(router, services.app());
  api::addResearchRoutes(router, services.app(), services.research());
  api::addRetentionRoutes(router, services.retention(), services.app().access);
}

}  // namespace parcours::daemon
