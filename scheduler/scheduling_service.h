#pragma once
// SchedulingService — calendars, therapy plans and sessions. Every booking
// is one transaction that first bumps the lock rows of the practitioner and
// the participant (calendar_locks), then loads their sessions, decides with
// the pure rules (availability.h, placement.h, session_rules.h,
// calendar_rules.h) and writes through the stores (session_store.h,
// calendar_store.h): two bookings of one person serialise on the row lock,
// so two requests never both win, with several daemons on one database too.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "identity/identity_service.h"
#include "identity/key_file_cipher.h"
#include "participants/participant_service.h"
#include "scheduler/availability.h"
#include "scheduler/awareness_store.h"
#include "scheduler/calendar_locks.h"
#include "scheduler/calendar_store.h"
#include "scheduler/calendar_types.h"
#include "scheduler/placement.h"
#include "scheduler/practitioner_store.h"
#include "scheduler/session.h"
#include "scheduler/session_status.h"
#include "scheduler/session_store.h"
#include "storage/database.h"

namespace parcours::scheduler {

struct SchedulingOptions {
  std::chrono::hours lateCancellationNotice{24};
  std::chrono::minutes granularity{15};
  std::chrono::seconds closureListSeconds{2};
};

class SchedulingService {
 public:
  // REQUIRES: cipher (for cancellation reasons, encrypted at rest) and the
  // other references outlive the service.
  SchedulingService(storage::Database& database, const identity::KeyFileCipher& cipher, const core::Clock& clock,
                    const date::time_zone& programZone, const participants::ParticipantService& participants,
                    SchedulingOptions options);

  // Start-up step: encrypts the cancellation and time-off reasons stored in
  // clear before they were encrypted at rest (SessionStore::sealClearReasons).
  int sealClearReasons();

  void setAvailability(core::PractitionerId practitionerId, const std::vector<WeeklyWindow>& weekly,
                       const identity::AuditContext& context);
  std::vector<WeeklyWindow> availability(core::PractitionerId practitionerId);
  // 409 listing the active sessions inside the range.
  TimeOffId addTimeOff(core::PractitionerId practitionerId, DateRange range, const std::optional<std::string>& reason,
                       const identity::AuditContext& context);
  // Program-wide closure; 409 when the date is already closed.
  Closure addClosure(core::LocalDate date, const std::string& name, const identity::AuditContext& context);
  // Québec holidays and program closures of a year, by date. The list is
  // kept for options.closureListSeconds: a closure added through another
  // daemon shows in this one's list within that time (bookings always read
  // closures inside their own transaction, so they never use a stale list).
  std::vector<Closure> closures(int year);

  std::vector<Interval> freeSlots(core::PractitionerId practitionerId, core::LocalDate from, core::LocalDate to,
                                  std::optional<int> minutes);

  // Placing a plan and booking a session run in the caller's transaction
  // (an idempotent request's), after prepareCalendars for the same people
  // outside it: it creates the lock rows they bump (404 when either is unknown).
  void prepareCalendars(core::PractitionerId practitionerId, core::ParticipantId participantId);
  PlanOutcome placePlanIn(storage::Transaction& tx, core::ParticipantId participantId, const PlanInput& input,
                          const identity::AuditContext& context);
  SessionView bookSessionIn(storage::Transaction& tx, core::PractitionerId practitionerId,
                            core::ParticipantId participantId, core::Instant start, std::optional<int> minutes,
                            const identity::AuditContext& context);
  SessionView reschedule(core::SessionId sessionId, core::Instant start, const identity::AuditContext& context);
  // The late-cancel rule decides cancelled or late_cancelled (session_rules.h).
  SessionView cancel(core::SessionId sessionId, const std::string& reason, CancelledBy by,
                     const identity::AuditContext& context);
  // `status`: attended, no_show or excused (parseAttendanceStatus);
  // `byCoordinator`: only a coordinator may excuse.
  SessionView recordAttendance(core::SessionId sessionId, SessionStatus status, bool byCoordinator,
                               const identity::AuditContext& context);

  SessionView session(core::SessionId sessionId);
  std::vector<SessionView> sessions(const SessionFilter& filter);
  // Whether the practitioner treats the participant now: the file is open
  // (not ineligible, completed or withdrawn) and they hold a session with
  // them that is not `cancelled` (a late cancellation counts).
  bool treats(core::PractitionerId practitionerId, core::ParticipantId participantId);
  // The participants the practitioner treats now, by the same rule.
  std::vector<core::ParticipantId> participantsTreatedBy(core::PractitionerId practitionerId);

  // The sessions of the practitioner's calendar feed: those starting at
  // most kFeedDaysBack days ago and everything after, by start, at most
  // kFeedLimit of them (the nearest first, so upcoming sessions never drop
  // out however long the history grows).
  static constexpr int kFeedDaysBack = 90;
  static constexpr int kFeedLimit = 5000;
  std::vector<SessionView> feedSessions(core::PractitionerId practitionerId);

  // A new secret feed token for the practitioner's calendar.ics (the old
  // one stops working); stored only as its hash.
  std::string newFeedToken(core::PractitionerId practitionerId, const identity::AuditContext& context);
  TherapyRecord therapyRecordIn(storage::Transaction& tx, core::ParticipantId participantId) const;

  // The practitioner whose feed token this is, if any.
  std::optional<core::PractitionerId> practitionerOfFeedToken(const std::string& secret);

 private:
  CalendarInput calendarIn(storage::Transaction& tx, const CalendarSettings& practitioner, core::LocalDate from,
                           core::LocalDate to, std::optional<core::ParticipantId> participantId,
                           std::optional<core::SessionId> ignoreSession) const;
  void lockCalendars(storage::Transaction& tx, std::optional<core::PractitionerId> practitionerId,
                     std::optional<core::ParticipantId> participantId) const;
  void ensureLockRows(std::optional<core::PractitionerId> practitionerId,
                      std::optional<core::ParticipantId> participantId);
  SessionView insertSession(storage::Transaction& tx, const CalendarSettings& practitioner,
                            core::ParticipantId participantId, const std::string& participantCode,
                            std::optional<core::PlanId> planId, Interval slot) const;
  // The 409 for a slot that cannot be booked, naming the sessions in the way.
  core::Error notBookable(storage::Transaction& tx, core::PractitionerId practitionerId,
                          core::ParticipantId participantId, Interval slot, std::chrono::minutes buffer,
                          std::optional<core::SessionId> ignoreSession, const date::time_zone& zone) const;
  std::vector<Closure> closuresIn(storage::Transaction& tx, int year) const;

  storage::Database& database_;
  const core::Clock& clock_;
  const date::time_zone& programZone_;
  const participants::ParticipantService& participants_;
  SchedulingOptions options_;
  SessionStore sessions_;
  CalendarStore calendars_;
  PractitionerStore practitioners_;
  AwarenessStore awareness_;
  struct CachedClosures {
    std::vector<Closure> list;
    core::Instant until;
  };
  std::mutex closuresMutex_;
  std::map<int, CachedClosures> closuresByYear_;
  KnownLockRows knownLocks_;
};

}  // namespace parcours::scheduler
