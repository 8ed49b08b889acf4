// Slot search for one week over a practitioner holding 1, 2 and 4 years of
// sessions (about 40 a week): prints the median time of each and how it
// grows. bench/README.md target: median under 2 ms with a year of sessions.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "scheduler/availability.h"

using namespace parcours;
using std::chrono::minutes;

namespace {

scheduler::CalendarInput calendarWithYears(int years) {
  scheduler::CalendarInput input;
  input.zone = &core::findZone("America/Toronto");
  for (unsigned day = 1; day <= 5; ++day) {
    input.weekly.push_back({date::weekday{day}, core::LocalTime{8 * 60}, core::LocalTime{18 * 60}});
  }
  // Sessions every weekday at 09:00, 10:30, 13:00, 14:30, 16:00 local.
  const core::LocalDate first = date::local_days{date::year{2027} / 1 / 4};
  for (int d = 0; d < years * 365; ++d) {
    const core::LocalDate day = first + date::days(d);
    if (date::weekday{day}.iso_encoding() > 5) continue;
    for (const int start : {9 * 60, 10 * 60 + 30, 13 * 60, 14 * 60 + 30, 16 * 60}) {
      const auto at = core::toInstant(day, core::LocalTime{start}, *input.zone);
      if (at) input.busy.push_back({*at, *at + minutes(60)});
    }
  }
  return input;
}

double medianMicros(const scheduler::CalendarInput& input, core::LocalDate weekStart, std::size_t& slots) {
  std::vector<double> samples;
  for (int i = 0; i < 201; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto found = scheduler::findFreeSlots(input, weekStart, weekStart + date::days(6), minutes(60));
    const auto t1 = std::chrono::steady_clock::now();
    slots = found.size();
    samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::nth_element(samples.begin(), samples.begin() + 100, samples.end());
  return samples[100];
}

}  // namespace

int main() {
  const core::LocalDate week = date::local_days{date::year{2027} / 6 / 14};
  double base = 0;
  for (const int years : {1, 2, 4}) {
    const auto input = calendarWithYears(years);
    std::size_t slots = 0;
    const double median = medianMicros(input, week, slots);
    if (years == 1) base = median;
    std::printf(
        "slot search, one week, %d year(s) of sessions (%zu): median %.1f us (%zu free starts), %.2fx the 1-year "
        "time\n",
        years, input.busy.size(), median, slots, median / base);
  }
  std::printf("target: median under 2000 us with one year of sessions\n");
  return 0;
}
