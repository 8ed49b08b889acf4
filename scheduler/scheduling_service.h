#pragma once
// SchedulingService — calendars, therapy plans and sessions. Every booking
// is one transaction that first bumps the lock rows of the practitioner and
// the participant (calendar_locks), then loads their sessions, decides with
// the pure rules (availability.h, placement.h) and writes: two bookings of
// one person serialise on the row lock, so two requests never both win,
// with several daemons on one database too.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "identity/identity_service.h"
#include "identity/key_file_cipher.h"
#include "participants/participant_service.h"
#include "scheduler/availability.h"
#include "scheduler/calendar_locks.h"
#include "scheduler/calendar_types.h"
#include "scheduler/placement.h"
#include "storage/database.h"

namespace parcours::scheduler {

enum class SessionStatus { scheduled, attended, no_show, excused, cancelled, late_cancelled };
std::string_view toString(SessionStatus status);
std::optional<SessionStatus> sessionStatusFromString(std::string_view text);

struct SessionView {
  std::int64_t id = 0;
  std::int64_t practitionerId = 0;
  std::int64_t participantId = 0;
  std::string participantCode;
  std::optional<std::int64_t> planId;
  Interval slot;
  SessionStatus status = SessionStatus::scheduled;
  std::optional<std::string> cancelledBy;
  std::optional<std::string> cancelReason;
  int sequence = 0;
  core::Instant updatedAt;
  const date::time_zone* zone = nullptr;  // the practitioner's, for local times
};

struct PlanInput {
  std::int64_t practitionerId = 0;
  int weeks = 1;
  core::LocalDate startOn;
  std::optional<int> sessionMinutes;  // default: the practitioner's
  Preferences preferences;
  bool allowExtension = false;
  bool dryRun = false;
};

struct PlanOutcome {
  std::optional<std::int64_t> planId;  // none on a dry run
  std::vector<SessionView> sessions;
};

struct SessionFilter {
  std::optional<std::int64_t> practitionerId;
  std::optional<std::int64_t> participantId;
  std::optional<core::Instant> from;
  std::optional<core::Instant> to;
  // Cursor: the last session of the previous page; the list is ordered by
  // start, then id, so the next page starts after that session.
  std::optional<std::int64_t> afterSessionId;
  int limit = 500;
};

// What a participant did of their program, for the completion criteria.
struct TherapyRecord {
  int sessionsAttended = 0;                               // attended or excused
  int sessionsMissed = 0;                                 // no_show or late_cancelled
  int sessionsPending = 0;                                // still scheduled
  std::optional<core::LocalDate> awarenessDayAttendedOn;  // in the program's zone
};

struct SchedulingOptions {
  std::chrono::hours lateCancellationNotice{24};
  std::chrono::minutes granularity{15};
  std::chrono::seconds closureListSeconds{2};
};

// A practitioner's calendar settings as read inside a transaction (defined in
// scheduling_service.cpp).
struct Practitioner;

class SchedulingService {
 public:
  // REQUIRES: cipher (for cancellation reasons, encrypted at rest) and the
  // other references outlive the service.
  SchedulingService(storage::Database& database, const identity::KeyFileCipher& cipher, const core::Clock& clock,
                    const date::time_zone& programZone, const participants::ParticipantService& participants,
                    SchedulingOptions options);

  // Start-up step: encrypts the cancellation and time-off reasons stored in
  // clear before they were encrypted at rest (bound to their row) and
  // empties the old columns. Idempotent and resumable (batches,
  // compare-and-set). Returns how many it sealed.
  int sealClearReasons();

  void setAvailability(std::int64_t practitionerId, const std::vector<WeeklyWindow>& weekly,
                       const identity::AuditContext& context);
  std::vector<WeeklyWindow> availability(std::int64_t practitionerId);
  // 409 listing the active sessions inside the range.
  std::int64_t addTimeOff(std::int64_t practitionerId, DateRange range, const std::optional<std::string>& reason,
                          const identity::AuditContext& context);
  // Program-wide closure; 409 when the date is already closed.
  Closure addClosure(core::LocalDate date, const std::string& name, const identity::AuditContext& context);
  // Québec holidays and program closures of a year, by date. The list is
  // kept for options.closureListSeconds: a closure added through another
  // daemon shows in this one's list within that time (bookings always read
  // closures inside their own transaction, so they never use a stale list).
  std::vector<Closure> closures(int year);

  std::vector<Interval> freeSlots(std::int64_t practitionerId, core::LocalDate from, core::LocalDate to,
                                  std::optional<int> minutes);

  PlanOutcome placePlan(std::int64_t participantId, const PlanInput& input, const identity::AuditContext& context);
  SessionView bookSession(std::int64_t practitionerId, std::int64_t participantId, core::Instant start,
                          std::optional<int> minutes, const identity::AuditContext& context);
  // The same inside a caller's transaction (an idempotent request's), after
  // prepareCalendars for the same people outside it.
  void prepareCalendars(std::int64_t practitionerId, std::int64_t participantId);
  PlanOutcome placePlanIn(storage::Transaction& tx, std::int64_t participantId, const PlanInput& input,
                          const identity::AuditContext& context);
  SessionView bookSessionIn(storage::Transaction& tx, std::int64_t practitionerId, std::int64_t participantId,
                            core::Instant start, std::optional<int> minutes, const identity::AuditContext& context);
  SessionView reschedule(std::int64_t sessionId, core::Instant start, const identity::AuditContext& context);
  SessionView cancel(std::int64_t sessionId, const std::string& reason, const std::string& by,
                     const identity::AuditContext& context);
  // `byCoordinator`: only a coordinator may excuse.
  SessionView recordAttendance(std::int64_t sessionId, const std::string& status, bool byCoordinator,
                               const identity::AuditContext& context);

  SessionView session(std::int64_t sessionId);
  std::vector<SessionView> sessions(const SessionFilter& filter);
  // Whether the practitioner treats the participant now: the file is open
  // (not ineligible, completed or withdrawn) and they hold a session with
  // them that is not `cancelled` (a late cancellation counts).
  bool treats(std::int64_t practitionerId, std::int64_t participantId);
  // The participants the practitioner treats now, by the same rule.
  std::vector<std::int64_t> participantsTreatedBy(std::int64_t practitionerId);

  // The sessions of the practitioner's calendar feed: those starting at
  // most kFeedDaysBack days ago and everything after, by start, at most
  // kFeedLimit of them (the nearest first, so upcoming sessions never drop
  // out however long the history grows).
  static constexpr int kFeedDaysBack = 90;
  static constexpr int kFeedLimit = 5000;
  std::vector<SessionView> feedSessions(std::int64_t practitionerId);

  // A new secret feed token for the practitioner's calendar.ics (the old
  // one stops working); stored only as its hash.
  std::string newFeedToken(std::int64_t practitionerId, const identity::AuditContext& context);
  TherapyRecord therapyRecordIn(storage::Transaction& tx, std::int64_t participantId) const;

  // The practitioner whose feed token this is, if any.
  std::optional<std::int64_t> practitionerOfFeedToken(const std::string& secret);

 private:
  SessionView sessionFromRow(const storage::Row& row) const;
  CalendarInput calendarIn(storage::Transaction& tx, const Practitioner& practitioner, core::LocalDate from,
                           core::LocalDate to, std::optional<std::int64_t> participantId,
                           std::optional<std::int64_t> ignoreSession) const;
  void lockCalendars(storage::Transaction& tx, std::int64_t practitionerId, std::int64_t participantId) const;
  void ensureLockRows(std::int64_t practitionerId, std::int64_t participantId);
  SessionView insertSession(storage::Transaction& tx, const Practitioner& practitioner, std::int64_t participantId,
                            const std::string& participantCode, std::optional<std::int64_t> planId,
                            Interval slot) const;
  SessionView loadSession(storage::Transaction& tx, std::int64_t id) const;
  // The 409 for a slot that cannot be booked, naming the sessions in the way.
  core::Error notBookable(storage::Transaction& tx, std::int64_t practitionerId, std::int64_t participantId,
                          Interval slot, std::chrono::minutes buffer, std::optional<std::int64_t> ignoreSession,
                          const date::time_zone& zone) const;
  std::vector<Closure> closuresIn(storage::Transaction& tx, int year) const;

  storage::Database& database_;
  const identity::KeyFileCipher& cipher_;
  const core::Clock& clock_;
  const date::time_zone& programZone_;
  const participants::ParticipantService& participants_;
  SchedulingOptions options_;
  struct CachedClosures {
    std::vector<Closure> list;
    core::Instant until;
  };
  std::mutex closuresMutex_;
  std::map<int, CachedClosures> closuresByYear_;
  KnownLockRows knownLocks_;
};

}  // namespace parcours::scheduler
