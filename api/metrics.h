#pragma once
// Request metrics in Prometheus text format: requests by route, method and
// status, a latency histogram per route, and the database pool's use.
// Labels are route patterns, never concrete paths, so no id or personal
// datum ever reaches a metric.

#include <array>
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

  std::string render(const storage::PoolStats& pool) const;

 private:
  static constexpr std::array<double, 11> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  struct Series {
    std::map<int, std::uint64_t> byStatus;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // cumulative at render
    std::uint64_t count = 0;
    double seconds = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Series> series_;  // (route, method)
};

}  // namespace parcours::api
