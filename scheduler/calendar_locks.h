#pragma once
// Lock rows of calendars (table calendar_locks): one per practitioner, per
// participant and per awareness day. A booking bumps the rows of everyone it
// involves before it checks for overlaps, so bookings of one person
// serialise; on a Galera cluster the bump is a write, so a concurrent
// booking on another node fails at commit and is retried.
// Lock order everywhere: practitioner, awareness day, participant.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/id.h"
#include "storage/database.h"

namespace parcours::scheduler {

std::string practitionerLock(core::PractitionerId id);
std::string participantLock(core::ParticipantId id);
std::string awarenessDayLock(core::GroupSessionId id);

// A lock row and the record it guards. The row is created only while that
// record exists: a made-up id gets the 404 its route gives, and no row.
struct LockRow {
  std::string name;
  const char* ownerTable;  // practitioners, participants or group_sessions
  std::int64_t ownerId;    // the key in ownerTable (the table varies, so no one id type)
  const char* missing;     // the 404's detail when the record does not exist
  const char* field;       // the request field it names ("" for a path id)
};
LockRow practitionerLockRow(core::PractitionerId id);
LockRow participantLockRow(core::ParticipantId id);
LockRow awarenessDayLockRow(core::GroupSessionId id);

// Creates missing rows, in a transaction of their own: locking a row that
// does not exist yet can deadlock on MariaDB (docs/decisions.md,
// Scheduling). Checks first, in that transaction, that every owner
// exists; the first one missing is core::Error(not_found) and nothing is
// created.
void ensureLockRows(storage::Database& database, const std::vector<LockRow>& rows);
// Bumps the rows in the order given (REQUIRES: they exist).
void lockRows(storage::Transaction& tx, const std::vector<std::string>& names);

// The lock rows a service knows to exist: lock rows are never deleted, so a
// booking pays the extra transaction of ensureLockRows only the first time
// a process meets a name.
class KnownLockRows {
 public:
  void ensure(storage::Database& database, const std::vector<LockRow>& rows);

 private:
  std::mutex mutex_;
  std::unordered_set<std::string> known_;
};

}  // namespace parcours::scheduler
