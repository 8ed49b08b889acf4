#pragma once
// Practitioners (sexologists and therapists): who they are, their time zone,
// session length and buffer. Calendars, availability and sessions build on
// these records in the scheduling issue.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "identity/identity_service.h"
#include "scheduler/practitioner_rules.h"
#include "scheduler/practitioner_store.h"
#include "storage/database.h"

namespace parcours::scheduler {

class PractitionerService {
 public:
  PractitionerService(storage::Database& database, const core::Clock& clock, std::string defaultTimeZone);

  // 422 naming each invalid field (all of them at once).
  PractitionerView create(const NewPractitioner& input, const identity::AuditContext& context);
  PractitionerView get(core::PractitionerId id) const;  // 404 when unknown
  std::vector<PractitionerView> list(std::optional<core::PractitionerId> afterId, int limit) const;
  bool exists(core::PractitionerId id) const;

 private:
  storage::Database& database_;
  const core::Clock& clock_;
  std::string defaultTimeZone_;
  PractitionerStore store_;
};

}  // namespace parcours::scheduler
