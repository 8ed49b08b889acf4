#pragma once
// session_store — the SQL of sessions and plans, mapping rows to typed
// values (SessionView). Every function but sealClearReasons runs inside the
// caller's transaction; the rules that decide what to write live in
// session_rules.h.
//
// A cancellation reason is clinical free text: written encrypted, bound to
// its session's row (`cancel_reason_enc`). Rows cancelled before that hold
// it in clear (`cancel_reason`) until sealClearReasons runs at start.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/id.h"
#include "identity/key_file_cipher.h"
#include "scheduler/practitioner_store.h"
#include "scheduler/session.h"
#include "storage/database.h"

namespace parcours::scheduler {

class SessionStore {
 public:
  // REQUIRES: cipher outlives the store.
  explicit SessionStore(const identity::KeyFileCipher& cipher);

  // 404 "no such session" when unknown.
  SessionView load(storage::Transaction& tx, core::SessionId id) const;
  // The start of a session, for a list's cursor.
  std::optional<core::Instant> startOf(storage::Transaction& tx, core::SessionId id) const;
  // By start, then id; `afterStart` is the cursor session's start.
  std::vector<SessionView> list(storage::Transaction& tx, const SessionFilter& filter,
                                std::optional<core::Instant> afterStart) const;
  // The practitioner's sessions starting at or after `since`, by start.
  std::vector<SessionView> startingFrom(storage::Transaction& tx, core::PractitionerId practitioner,
                                        core::Instant since, int limit) const;
  // The practitioner's scheduled sessions overlapping [from, to), by start.
  std::vector<SessionView> scheduledWithin(storage::Transaction& tx, core::PractitionerId practitioner,
                                           core::Instant from, core::Instant to) const;
  // The sessions holding time of either person that overlap `span`, by
  // start, but `ignore`.
  std::vector<SessionView> holdingTime(storage::Transaction& tx, core::PractitionerId practitioner,
                                       core::ParticipantId participant, Interval span,
                                       std::optional<core::SessionId> ignore) const;

  // A new scheduled session; `session` gives everything but id (which it
  // returns), status and sequence.
  core::SessionId insert(storage::Transaction& tx, const SessionView& session) const;
  void move(storage::Transaction& tx, core::SessionId id, Interval slot, core::Instant now) const;
  void cancel(storage::Transaction& tx, core::SessionId id, SessionStatus status, CancelledBy by,
              const std::string& reason, core::Instant now) const;
  void setStatus(storage::Transaction& tx, core::SessionId id, SessionStatus status, core::Instant now) const;
  // Each change above bumps the session's sequence (its iCalendar SEQUENCE).

  // A plan; `regularSlot` is the weekday and local start most of its
  // sessions share, if any.
  core::PlanId insertPlan(storage::Transaction& tx, core::ParticipantId participant, const PlanInput& input,
                          std::optional<std::pair<date::weekday, core::LocalTime>> regularSlot,
                          core::Instant now) const;

  // How many of the participant's sessions are in each status.
  std::vector<std::pair<SessionStatus, int>> statusCounts(storage::Transaction& tx,
                                                          core::ParticipantId participant) const;

  // Who a practitioner treats: participants whose file is open (not
  // ineligible, completed or withdrawn) with whom they hold a session that
  // was not cancelled in time. A late cancellation still counts: it is a
  // missed session of the program, which the practitioner follows up and a
  // coordinator may excuse.
  bool treats(storage::Transaction& tx, core::PractitionerId practitioner, core::ParticipantId participant) const;
  std::vector<core::ParticipantId> treatedBy(storage::Transaction& tx, core::PractitionerId practitioner) const;

  // Start-up step: encrypts the cancellation and time-off reasons stored in
  // clear (bound to their row) and empties the old columns. Idempotent and
  // resumable (batches, compare-and-set). Returns how many it sealed.
  int sealClearReasons(storage::Database& database) const;

 private:
  SessionView fromRow(const storage::Row& row) const;

  const identity::KeyFileCipher& cipher_;
};

// The condition on `status` of the sessions that hold their time
// (holdsTime): everything but cancellations. SQL text of this module.
inline constexpr const char* kHoldsTimeSql = "status NOT IN ('cancelled', 'late_cancelled')";

// The encryption contexts of the module's free text.
inline constexpr const char* kCancelReasonContext = "sessions.cancel_reason";
inline constexpr const char* kTimeOffReasonContext = "time_off.reason";

}  // namespace parcours::scheduler
