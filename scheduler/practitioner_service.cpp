#include "scheduler/practitioner_service.h"

#include "identity/audit_log.h"
#include "scheduler/practitioner_rules.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

PractitionerService::PractitionerService(storage::Database& database, const core::Clock& clock,
                                         std::string defaultTimeZone)
    : database_(database), clock_(clock), defaultTimeZone_(std::move(defaultTimeZone)) {}

PractitionerView PractitionerService::create(const NewPractitioner& in, const identity::AuditContext& context) {
  PractitionerView practitioner = validatePractitioner(in, defaultTimeZone_);
  practitioner.createdAt = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    practitioner.id = store_.insert(tx, practitioner);
    identity::recordAudit(tx,
                          {context.actorUserId, "practitioner.create", "practitioner", practitioner.id.toString(),
                           context.requestId, practitioner.discipline},
                          practitioner.createdAt);
    return *store_.find(tx, practitioner.id);
  });
}

PractitionerView PractitionerService::get(core::PractitionerId id) const {
  const auto found =
      database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return store_.find(tx, id); });
  if (!found) throw Error(ErrorCode::not_found, "no such practitioner");
  return *found;
}

std::vector<PractitionerView> PractitionerService::list(std::optional<core::PractitionerId> afterId, int limit) const {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return store_.list(tx, afterId, limit); });
}

bool PractitionerService::exists(core::PractitionerId id) const {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return store_.find(tx, id).has_value(); });
}

}  // namespace parcours::scheduler
