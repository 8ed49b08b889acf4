#include "scheduler/placement.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace parcours::scheduler {

namespace {

using std::chrono::minutes;

constexpr int kMinWeeks = 1;
constexpr int kMaxWeeks = 8;
constexpr int kMaxExtraWeeks = 2;
constexpr int kDaysPerWeek = 7;
constexpr int kMinutesPerDay = 24 * 60;

using RegularSlot = std::pair<date::weekday, core::LocalTime>;

// A free slot read in the plan's zone.
struct Candidate {
  Interval slot;
  date::weekday weekday;
  core::LocalTime time;

  bool is(const RegularSlot& regular) const { return weekday == regular.first && time == regular.second; }
};

// Index 0 is week 1.
using CandidatesByWeek = std::vector<std::vector<Candidate>>;

core::LocalDate firstDayOfWeek(const PlanRequest& request, int week) {
  return request.startOn + date::days{kDaysPerWeek * (week - 1)};
}

FailingWeek describeWeek(const PlanRequest& request, int week) {
  const core::LocalDate from = firstDayOfWeek(request, week);
  return {week, from, from + date::days{kDaysPerWeek - 1}};
}

bool validTime(const core::LocalTime& time) {
  return time.minutes >= 0 && time.minutes < kMinutesPerDay;
}

bool meetsPreferences(const Preferences& preferences, date::weekday weekday, core::LocalTime time) {
  if (!preferences.weekdays.empty() &&
      std::find(preferences.weekdays.begin(), preferences.weekdays.end(), weekday) == preferences.weekdays.end()) {
    return false;
  }
  if (preferences.earliest && time < *preferences.earliest) return false;
  if (preferences.latest && time > *preferences.latest) return false;
  return true;
}

// The acceptable slots of weeks 1..weekCount, each week's sorted by start.
CandidatesByWeek acceptableSlotsByWeek(const PlanRequest& request, const std::vector<Interval>& slots, int weekCount) {
  CandidatesByWeek byWeek(static_cast<std::size_t>(weekCount));
  for (const Interval& slot : slots) {
    const auto local = date::floor<minutes>(request.zone->to_local(slot.start));
    const core::LocalDate day = date::floor<date::days>(local);
    const auto offset = (day - request.startOn).count();
    if (offset < 0 || offset >= static_cast<long long>(kDaysPerWeek) * weekCount) continue;
    const date::weekday weekday{day};
    const core::LocalTime time{static_cast<int>((local - day).count())};
    if (!meetsPreferences(request.preferences, weekday, time)) continue;
    byWeek[static_cast<std::size_t>(offset / kDaysPerWeek)].push_back({slot, weekday, time});
  }
  for (auto& week : byWeek) {
    std::sort(week.begin(), week.end(),
              [](const Candidate& a, const Candidate& b) { return a.slot.start < b.slot.start; });
  }
  return byWeek;
}

// The (weekday, time) free in the most of the first `planWeeks` weeks; ties
// Monday first, then the earlier time.
std::optional<RegularSlot> findRegularSlot(const CandidatesByWeek& byWeek, int planWeeks) {
  // Keyed by (ISO weekday, minutes): iteration order is the tie order.
  using Key = std::pair<unsigned, int>;
  std::map<Key, int> weeksFree;
  for (int week = 0; week < planWeeks; ++week) {
    std::set<Key> seen;  // a repeated (fall-back) local time counts once per week
    for (const Candidate& c : byWeek[static_cast<std::size_t>(week)])
      seen.insert({c.weekday.iso_encoding(), c.time.minutes});
    for (const Key& key : seen) ++weeksFree[key];
  }
  std::optional<Key> best;
  int bestCount = 0;
  for (const auto& [key, count] : weeksFree) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  if (!best) return std::nullopt;
  return RegularSlot{date::weekday{best->first}, core::LocalTime{best->second}};
}

// Where the regular slot would sit in `week`: its weekday inside the week at
// its local time. A wall time that does not exist that week (spring-forward
// gap) is shifted by the gap: the instant right after it, at the same distance.
core::Instant regularInstantIn(const PlanRequest& request, int week, const RegularSlot& regular) {
  const core::LocalDate weekStart = firstDayOfWeek(request, week);
  const core::LocalDate day = weekStart + (regular.first - date::weekday{weekStart});
  if (const auto instant = core::toInstant(day, regular.second, *request.zone)) return *instant;
  const date::local_seconds wall = day + minutes{regular.second.minutes};
  // In a gap `first` is the period before the change: reading the wall time
  // with the earlier offset lands as far after the change as it is into the gap.
  return core::Instant{wall.time_since_epoch() - request.zone->get_info(wall).first.offset};
}

// REQUIRES: !candidates.empty(), sorted by start.
Interval chooseSlot(const std::vector<Candidate>& candidates, const RegularSlot& regular, core::Instant target) {
  const auto same =
      std::find_if(candidates.begin(), candidates.end(), [&](const Candidate& c) { return c.is(regular); });
  if (same != candidates.end()) return same->slot;
  const Candidate* best = &candidates.front();
  auto bestDistance = std::chrono::abs(best->slot.start - target);
  for (const Candidate& c : candidates) {
    const auto distance = std::chrono::abs(c.slot.start - target);
    if (distance < bestDistance) {  // strict: the earlier start wins a tie
      best = &c;
      bestDistance = distance;
    }
  }
  return best->slot;
}

}  // namespace

void validatePlanRequest(const PlanRequest& request) {
  if (request.zone == nullptr) throw core::Error(core::ErrorCode::internal, "a plan request needs a time zone");
  std::vector<core::FieldError> problems;
  if (request.weeks < kMinWeeks || request.weeks > kMaxWeeks) problems.push_back({"weeks", "1 to 8 weeks"});
  const auto length = request.length.count();
  if (length < 30 || length > 120 || length % 15 != 0) {
    problems.push_back({"session_minutes", "30 to 120, a multiple of 15"});
  }
  const Preferences& preferences = request.preferences;
  const bool weekdaysOk = std::all_of(preferences.weekdays.begin(), preferences.weekdays.end(),
                                      [](date::weekday weekday) { return weekday.ok(); });
  const bool timesOk = (!preferences.earliest || validTime(*preferences.earliest)) &&
                       (!preferences.latest || validTime(*preferences.latest));
  if (!weekdaysOk) {
    problems.push_back({"preferences", "unknown weekday"});
  } else if (!timesOk) {
    problems.push_back({"preferences", "times must be 00:00 to 23:59"});
  } else if (preferences.earliest && preferences.latest && *preferences.earliest > *preferences.latest) {
    problems.push_back({"preferences", "earliest must not be after latest"});
  }
  if (problems.empty()) return;
  std::string detail = "the plan is not valid";
  for (std::size_t i = 0; i < problems.size(); ++i) detail += (i == 0 ? ": " : ", ") + problems[i].field;
  core::Error error(core::ErrorCode::unprocessable, detail);
  for (auto& problem : problems) error.addFieldError(std::move(problem.field), std::move(problem.message));
  throw error;
}

Placement placePlan(const PlanRequest& request, const FreeSlotSource& freeSlots) {
  validatePlanRequest(request);
  const int horizon = request.weeks + (request.allowExtension ? kMaxExtraWeeks : 0);
  const std::vector<Interval> slots =
      freeSlots(request.startOn, request.startOn + date::days{kDaysPerWeek * horizon - 1});
  const CandidatesByWeek byWeek = acceptableSlotsByWeek(request, slots, horizon);

  Placement placement;
  placement.regularSlot = findRegularSlot(byWeek, request.weeks);
  if (!placement.regularSlot) {
    placement.failingWeek = describeWeek(request, 1);
    return placement;
  }
  int lastWeek = request.weeks;
  for (int week = 1; week <= lastWeek; ++week) {
    const auto& candidates = byWeek[static_cast<std::size_t>(week - 1)];
    if (candidates.empty()) {
      if (request.allowExtension && lastWeek - request.weeks < kMaxExtraWeeks) {
        ++lastWeek;
        continue;
      }
      placement.sessions.clear();
      placement.failingWeek = describeWeek(request, week);
      return placement;
    }
    const Interval slot =
        chooseSlot(candidates, *placement.regularSlot, regularInstantIn(request, week, *placement.regularSlot));
    placement.sessions.push_back({week, slot});
  }
  return placement;
}

core::Error placementConflict(const FailingWeek& week) {
  const std::string from = core::formatDate(week.from);
  const std::string to = core::formatDate(week.to);
  const std::string index = std::to_string(week.index);
  core::Error error(core::ErrorCode::conflict,
                    "no acceptable slot in week " + index + " (from " + from + " to " + to + ")");
  error.withMember("failing_week", "{\"index\":" + index + ",\"from\":" + core::jsonQuote(from) +
                                       ",\"to\":" + core::jsonQuote(to) + "}");
  return error;
}

}  // namespace parcours::scheduler
