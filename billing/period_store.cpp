#include "billing/period_store.h"

#include <cstdio>

namespace parcours::billing {

namespace {
constexpr const char* kReasonContext = "closed_periods.reason";
}

std::string monthOf(core::LocalDate day) {
  const date::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  return text;
}

std::optional<core::LocalDate> firstDayOfMonth(std::string_view month) {
  if (month.size() != 7 || month[4] != '-') return std::nullopt;
  int year = 0;
  int number = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (month[i] < '0' || month[i] > '9') return std::nullopt;
    (i < 4 ? year : number) = (i < 4 ? year : number) * 10 + (month[i] - '0');
  }
  if (year < 1900 || number < 1 || number > 12) return std::nullopt;
  return core::LocalDate{date::year{year} / date::month{static_cast<unsigned>(number)} / date::day{1}};
}

bool PeriodStore::isClosed(storage::Transaction& tx, core::LocalDate day) const {
  return tx.queryOne("SELECT 1 FROM closed_periods WHERE month = ?", {monthOf(day)}).has_value();
}

void PeriodStore::close(storage::Transaction& tx, const ClosedPeriod& p) const {
  const auto rowId = tx.query("INSERT INTO closed_periods (month, closed_at, closed_by, forced, reason_enc)"
                              " VALUES (?, ?, ?, ?, NULL) RETURNING id",
                              {p.month, p.closedAt, storage::optional(p.closedBy), std::int64_t{p.forced ? 1 : 0}})
                        .at(0)
                        .int64(0);
  if (p.reason) {
    tx.execute("UPDATE closed_periods SET reason_enc = ? WHERE id = ?",
               {storage::Blob{cipher_.encrypt(*p.reason, kReasonContext, rowId)}, rowId});
  }
}

std::vector<ClosedPeriod> PeriodStore::list(storage::Transaction& tx) const {
  std::vector<ClosedPeriod> all;
  for (const auto& row :
       tx.query("SELECT id, month, closed_at, closed_by, forced, reason_enc FROM closed_periods ORDER BY month")) {
    ClosedPeriod p;
    p.month = row.text(1);
    p.closedAt = row.instant(2);
    if (const auto by = row.optInt64(3)) p.closedBy = core::UserId(*by);
    p.forced = row.boolean(4);
    if (!row.isNull(5)) p.reason = cipher_.decrypt(row.blob(5), kReasonContext, row.int64(0));
    all.push_back(std::move(p));
  }
  return all;
}

}  // namespace parcours::billing
