#include "scheduler/availability.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>

#include "core/error.h"

namespace parcours::scheduler {
namespace {

using std::chrono::minutes;

constexpr long long kMinutesPerDay = 24 * 60;

void requireUsable(const CalendarInput& input) {
  if (input.zone == nullptr) throw core::Error(core::ErrorCode::internal, "calendar without a time zone");
  if (input.granularity <= minutes::zero()) {
    throw core::Error(core::ErrorCode::internal, "slot granularity must be positive");
  }
  if (input.buffer < minutes::zero()) throw core::Error(core::ErrorCode::internal, "buffer must not be negative");
}

// The busy intervals (sorted by start) with, for each prefix, the latest end
// among its non-empty intervals: "does [lo, hi) overlap anything?" is then one
// binary search, whatever the lengths and overlaps of the busy intervals
// (practitioner sessions and the participant's seats are mixed).
class BusyIndex {
 public:
  explicit BusyIndex(const std::vector<Interval>& busySorted) : busy_(busySorted) {
    latestEnd_.reserve(busy_.size());
    core::Instant latest = core::Instant::min();
    for (const Interval& interval : busy_) {
      if (interval.start < interval.end) latest = std::max(latest, interval.end);
      latestEnd_.push_back(latest);
    }
  }

  bool overlaps(core::Instant lo, core::Instant hi) const {
    // Everything before `firstAtOrAfterHi` starts before hi; one of them
    // overlaps iff the latest of their ends is after lo.
    const auto firstAtOrAfterHi = std::lower_bound(
        busy_.begin(), busy_.end(), hi, [](const Interval& interval, core::Instant t) { return interval.start < t; });
    const auto count = static_cast<std::size_t>(firstAtOrAfterHi - busy_.begin());
    return count > 0 && latestEnd_[count - 1] > lo;
  }

 private:
  const std::vector<Interval>& busy_;
  std::vector<core::Instant> latestEnd_;
};

// A weekly window placed on one local date.
struct DayWindow {
  WeeklyWindow local;
  Interval span;  // its bounds as instants
};

bool isDayOff(const CalendarInput& input, core::LocalDate day) {
  if (std::find(input.closedDates.begin(), input.closedDates.end(), day) != input.closedDates.end()) return true;
  return std::any_of(input.timeOff.begin(), input.timeOff.end(),
                     [day](const DateRange& range) { return range.first <= day && day <= range.last; });
}

// A window bound as an instant; a bound inside a spring-forward gap moves to
// the instant the gap ends (the first existing wall time after it).
core::Instant windowBound(core::LocalDate day, core::LocalTime time, const date::time_zone& zone) {
  if (const auto instant = core::toInstant(day, time, zone)) return *instant;
  const date::local_info info = zone.get_info(day + minutes{time.minutes});
  return info.second.begin;
}

std::vector<DayWindow> windowsOn(const CalendarInput& input, core::LocalDate day) {
  std::vector<DayWindow> windows;
  const date::weekday weekday{day};
  for (const WeeklyWindow& window : input.weekly) {
    if (window.weekday != weekday || window.start >= window.end) continue;
    const Interval span{windowBound(day, window.start, *input.zone), windowBound(day, window.end, *input.zone)};
    if (span.start < span.end) windows.push_back({window, span});
  }
  return windows;
}

bool fitsIn(const Interval& span, const Interval& slot) {
  return span.start <= slot.start && slot.end <= span.end;
}

bool isClear(const BusyIndex& busy, const Interval& slot, minutes buffer) {
  return !busy.overlaps(slot.start - buffer, slot.end + buffer);
}

// The first grid minute at or after `time` (times before midnight start at 0).
long long firstGridMinute(core::LocalTime time, long long step) {
  const long long from = std::max(0, time.minutes);
  return (from + step - 1) / step * step;
}

// The local wall time of `instant` when it is the earlier (or only) instant of
// that wall time, on the grid; nullopt otherwise.
std::optional<std::pair<core::LocalDate, core::LocalTime>> gridStart(const CalendarInput& input,
                                                                     core::Instant instant) {
  const auto local = input.zone->to_local(instant);
  const auto day = date::floor<date::days>(local);
  const auto sinceMidnight = local - day;
  if (sinceMidnight % input.granularity != std::chrono::seconds::zero()) return std::nullopt;
  const core::LocalTime time{static_cast<int>(date::floor<minutes>(sinceMidnight).count())};
  // The later of a repeated wall time (fall-back) is never offered.
  if (core::toInstant(day, time, *input.zone) != instant) return std::nullopt;
  return std::pair{day, time};
}

}  // namespace

std::vector<Interval> findFreeSlots(const CalendarInput& input, core::LocalDate from, core::LocalDate to,
                                    minutes length) {
  requireUsable(input);
  if (length <= minutes::zero()) {
    throw core::Error(core::ErrorCode::unprocessable, "session length must be positive", "session_minutes");
  }
  std::vector<Interval> slots;
  if (from > to) return slots;
  const BusyIndex busy(input.busy);
  const long long step = input.granularity.count();
  for (core::LocalDate day = from; day <= to; day += date::days{1}) {
    if (isDayOff(input, day)) continue;
    for (const DayWindow& window : windowsOn(input, day)) {
      // Local times and their (earlier) instants rise together, so the
      // window's grid times are the only candidates; the instant check below
      // makes each one last exactly `length` inside the window.
      const long long end = std::min<long long>(window.local.end.minutes, kMinutesPerDay);
      for (long long minute = firstGridMinute(window.local.start, step); minute < end; minute += step) {
        const auto start = core::toInstant(day, core::LocalTime{static_cast<int>(minute)}, *input.zone);
        if (!start) continue;  // inside the spring-forward gap
        const Interval slot{*start, *start + length};
        if (input.notBefore && slot.start < *input.notBefore) continue;
        if (fitsIn(window.span, slot) && isClear(busy, slot, input.buffer)) slots.push_back(slot);
      }
    }
  }
  // Overlapping windows on one date can offer the same start twice.
  std::sort(slots.begin(), slots.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

bool isFree(const std::vector<Interval>& busySorted, Interval slot, minutes buffer) {
  const core::Instant lo = slot.start - buffer;
  const core::Instant hi = slot.end + buffer;
  auto it = std::lower_bound(busySorted.begin(), busySorted.end(), hi,
                             [](const Interval& interval, core::Instant t) { return interval.start < t; });
  // Every interval before `it` starts before hi; look back until they start
  // so early that (lasting at most kLongestBusy) they end by lo.
  while (it != busySorted.begin()) {
    --it;
    if (it->start < it->end && it->end > lo) return false;
    if (it->start + kLongestBusy <= lo) break;
  }
  return true;
}

bool isBookable(const CalendarInput& input, Interval slot) {
  requireUsable(input);
  if (slot.end <= slot.start) return false;
  if (input.notBefore && slot.start < *input.notBefore) return false;
  const auto start = gridStart(input, slot.start);
  if (!start || isDayOff(input, start->first)) return false;
  const auto windows = windowsOn(input, start->first);
  const bool inWindow =
      std::any_of(windows.begin(), windows.end(), [&](const DayWindow& window) { return fitsIn(window.span, slot); });
  return inWindow && isClear(BusyIndex(input.busy), slot, input.buffer);
}

}  // namespace parcours::scheduler
