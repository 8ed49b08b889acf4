#pragma once
// practitioner_store — the SQL of practitioners and their calendar feed
// tokens, mapping rows to typed values. Every function runs inside the
// caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "storage/database.h"

namespace parcours::scheduler {

struct PractitionerView {
  core::PractitionerId id{0};
  std::string displayName;
  std::string discipline;  // "sexologist" | "therapist"
  std::string email;
  std::string timeZone;
  int sessionMinutes = 60;
  int bufferMinutes = 0;
  core::Instant createdAt;
};

// What booking needs of a practitioner: the zone of their calendar, the
// default length of a session and the buffer kept around each.
struct CalendarSettings {
  core::PractitionerId id{0};
  const date::time_zone* zone = nullptr;
  int sessionMinutes = 60;
  int bufferMinutes = 0;
};

class PractitionerStore {
 public:
  // 404 "no such practitioner" on `practitioner_id` when unknown.
  CalendarSettings calendarSettings(storage::Transaction& tx, core::PractitionerId id) const;
  std::optional<PractitionerView> find(storage::Transaction& tx, core::PractitionerId id) const;
  std::vector<PractitionerView> list(storage::Transaction& tx, std::optional<core::PractitionerId> after,
                                     int limit) const;
  core::PractitionerId insert(storage::Transaction& tx, const PractitionerView& practitioner) const;

  // The practitioner's one feed token (its hash), replacing any other.
  void replaceFeedToken(storage::Transaction& tx, core::PractitionerId id, const std::string& tokenHash,
                        core::Instant now) const;
  std::optional<core::PractitionerId> ofFeedToken(storage::Transaction& tx, const std::string& tokenHash) const;
};

}  // namespace parcours::scheduler
