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
#include "storage/database.h"
#include "storage/migrations.h"

namespace parcours::scheduler {

struct PractitionerView {
  std::int64_t id = 0;
  std::string displayName;
  std::string discipline;  // "sexologist" | "therapist"
  std::string email;
  std::string timeZone;
  int sessionMinutes = 60;
  int bufferMinutes = 0;
  core::Instant createdAt;
};

struct NewPractitioner {
  std::optional<std::string> displayName, discipline, email, timeZone;
  std::optional<std::int64_t> sessionMinutes, bufferMinutes;
};

std::vector<storage::Migration> practitionerMigrations();

class PractitionerService {
 public:
  PractitionerService(storage::Database& database, const core::Clock& clock, std::string defaultTimeZone);

  // 422 naming each invalid field (all of them at once).
  PractitionerView create(const NewPractitioner& input, const identity::AuditContext& context);
  PractitionerView get(std::int64_t id) const;  // 404 when unknown
  std::vector<PractitionerView> list(std::optional<std::int64_t> afterId, int limit) const;
  bool exists(std::int64_t id) const;

 private:
  storage::Database& database_;
  const core::Clock& clock_;
  std::string defaultTimeZone_;
};

}  // namespace parcours::scheduler
