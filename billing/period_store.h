#pragma once
// Closed periods (docs/domain.md "Reconciliation"): once finance closes a
// month, no payment, refund or document can be dated in it. The table lives
// with billing because billing's writes are the ones it refuses; finance
// decides when a month may close (finance/reconciliation_service.h).
//
// Every method runs inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "identity/key_file_cipher.h"
#include "storage/database.h"

namespace parcours::billing {

// "2026-11" for any day of November 2026.
std::string monthOf(core::LocalDate day);
// The first day of a "YYYY-MM" month; nullopt for anything else.
std::optional<core::LocalDate> firstDayOfMonth(std::string_view month);

struct ClosedPeriod {
  std::string month;  // "YYYY-MM"
  core::Instant closedAt;
  std::optional<core::UserId> closedBy;
  bool forced = false;
  std::optional<std::string> reason;  // why it was closed with lines unresolved
};

class PeriodStore {
 public:
  // REQUIRES: cipher outlives the store.
  explicit PeriodStore(const identity::KeyFileCipher& cipher) : cipher_(cipher) {}

  bool isClosed(storage::Transaction& tx, core::LocalDate day) const;
  // Throws storage::ConstraintViolation when the month is already closed.
  void close(storage::Transaction& tx, const ClosedPeriod& period) const;
  std::vector<ClosedPeriod> list(storage::Transaction& tx) const;

 private:
  const identity::KeyFileCipher& cipher_;
};

}  // namespace parcours::billing
