#pragma once
// RetentionService — runs retention: finds the closed files due
// (retention/retention_rules.h) and anonymises each in its own transaction
// (retention/retention_store.h).
//
// - A dry run reads and reports; it changes nothing but the audit log.
// - A run holds a lock every daemon on the same database respects (MariaDB:
//   a named lock, released by the server if the daemon dies; SQLite: one
//   run per process, SQLite's own write lock serialising the files), so two
//   runs never overlap. Each file is claimed under its row lock and only
//   while not yet anonymised, so even overlapping runs could not anonymise a
//   file twice.
// - A run killed half-way leaves whole files anonymised or untouched; the
//   next run picks up the rest.
// - Audited with counts and ids, never names: one `participant.anonymise`
//   entry per file (in its transaction) and one `retention.run` entry per run.

#include <functional>
#include <mutex>
#include <vector>

#include "identity/identity_service.h"
#include "retention/retention_store.h"

namespace parcours::retention {

struct RetentionRun {
  bool dryRun = true;
  // Dry run: the files due now. Otherwise: the files this run anonymised.
  std::vector<ClosedFile> files;
};

class RetentionService {
 public:
  // REQUIRES: every reference outlives the service; years in
  // [kMinRetentionYears, kMaxRetentionYears].
  RetentionService(storage::Database& database, const identity::KeyFileCipher& cipher,
                   const identity::KeyedHasher& digests, const core::Clock& clock, const date::time_zone& zone,
                   int years);

  // Throws core::Error(unavailable) when another daemon's run holds the
  // lock longer than the wait (MariaDB: 60 s). `stopRequested`, when given,
  // is asked between files: true ends the run early (the rest stays due).
  RetentionRun run(bool dryRun, const identity::AuditContext& context, const std::function<bool()>& stopRequested = {});

 private:
  std::vector<ClosedFile> dueNow();
  std::vector<ClosedFile> anonymiseDue(const identity::AuditContext& context,
                                       const std::function<bool()>& stopRequested);
  void recordRun(const RetentionRun& run, std::size_t due, const identity::AuditContext& context);
  template <class F>
  void underRunLock(F&& work);

  storage::Database& database_;
  RetentionStore store_;
  const core::Clock& clock_;
  const date::time_zone& zone_;
  int years_;
  std::mutex runMutex_;  // one run at a time in this process
};

}  // namespace parcours::retention
