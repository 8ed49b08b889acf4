#include "retention/retention_service.h"

#include "identity/audit_log.h"

namespace parcours::retention {

RetentionService::RetentionService(storage::Database& database, const identity::KeyFileCipher& cipher,
                                   const identity::KeyedHasher& digests, const core::Clock& clock,
                                   const date::time_zone& zone, int years)
    : database_(database), store_(cipher, digests), clock_(clock), zone_(zone), years_(years) {}

RetentionRun RetentionService::run(bool dryRun, const identity::AuditContext& context,
                                   const std::function<bool()>& stopRequested) {
  RetentionRun result;
  result.dryRun = dryRun;
  if (dryRun) {
    result.files = dueNow();
    recordRun(result, result.files.size(), context);
    return result;
  }
  underRunLock([&] { result.files = anonymiseDue(context, stopRequested); });
  return result;
}

std::vector<ClosedFile> RetentionService::dueNow() {
  const auto files =
      database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return store_.closedFiles(tx); });
  return dueFiles(files, core::localDateOf(clock_.now(), zone_), years_, zone_);
}

// One transaction per file: a run stopped half-way keeps what it finished.
std::vector<ClosedFile> RetentionService::anonymiseDue(const identity::AuditContext& context,
                                                       const std::function<bool()>& stopRequested) {
  const auto due = dueNow();
  RetentionRun run{false, {}};
  for (const auto& file : due) {
    if (stopRequested && stopRequested()) break;
    const bool anonymised = database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
      const auto now = clock_.now();
      if (!store_.anonymise(tx, file, now)) return false;
      identity::recordAudit(tx,
                            {context.actorUserId, "participant.anonymise", "participant", file.id.toString(),
                             context.requestId, "retention: " + std::string(participants::toString(file.status))},
                            now);
      return true;
    });
    if (anonymised) run.files.push_back(file);
  }
  recordRun(run, due.size(), context);
  return run.files;
}

void RetentionService::recordRun(const RetentionRun& run, std::size_t due, const identity::AuditContext& context) {
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    identity::recordAudit(
        tx,
        {context.actorUserId, "retention.run", "retention", run.dryRun ? "dry_run" : "run", context.requestId,
         "dry_run=" + std::string(run.dryRun ? "true" : "false") + " years=" + std::to_string(years_) +
             " due=" + std::to_string(due) + " anonymised=" + std::to_string(run.dryRun ? 0 : run.files.size())},
        clock_.now());
  });
}

// MariaDB: a named lock every daemon on the database respects; the work
// runs its own transactions on pooled connections meanwhile. SQLite: the
// named lock would be a write transaction that the work's own transactions
// would wait on, so a process mutex stands in (each file's claim still runs
// under SQLite's write lock).
template <class F>
void RetentionService::underRunLock(F&& work) {
  const std::lock_guard local(runMutex_);
  if (database_.dialect() == storage::Dialect::mysql) {
    database_.withExclusiveLock("retention", [&](storage::Transaction&) { work(); });
  } else {
    work();
  }
}

}  // namespace parcours::retention
