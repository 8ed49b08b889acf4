#pragma once
// Request metrics in Prometheus text format: requests by route, method and
// status, a latency histogram per route, and the database pool's use.
// Labels are route patterns, never concrete paths, so no id or personal
// datum ever reaches a metric; the caller maps methods it does not know to
// one label ("other"), so made-up methods cannot grow the output.
// Recording takes a short lock; rendering copies the series under it and
// formats the copy without it, so a slow scrape never delays requests.

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace parcours::api {

class Metrics {
 public:
  void recordRequest(std::string_view route, std::string_view method, int status,
                     std::chrono::steady_clock::duration elapsed);

  // Connections the server closed or refused before they carried a
  // request to a worker.
  enum class Refusal { per_address_cap, overload, head_deadline, head_too_large };
  void recordRefusal(Refusal why) noexcept;

  std::string render(const storage::PoolStats& pool) const;

 private:
  static constexpr std::array<double, 11> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  struct Series {
    std::map<int, std::uint64_t> byStatus;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // cumulative at render
    std::uint64_t count = 0;
    double seconds = 0;
  };

  using SeriesMap = std::map<std::pair<std::string, std::string>, Series>;  // (route, method)
  SeriesMap snapshot() const;

  mutable std::mutex mutex_;
  SeriesMap series_;
  std::array<std::atomic<std::uint64_t>, 4> refusals_{};
};

}  // namespace parcours::api
