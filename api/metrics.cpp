#include "api/metrics.h"

#include <sstream>

namespace parcours::api {

void Metrics::recordRequest(std::string_view route, std::string_view method, int status,
                            std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  std::lock_guard lock(mutex_);
  Series& s = series_[std::pair(std::string(route), std::string(method))];
  ++s.byStatus[status];
  if (bucket < kBuckets.size()) ++s.buckets[bucket];
  ++s.count;
  s.seconds += seconds;
}

void Metrics::recordRefusal(Refusal why) noexcept {
  refusals_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
}

Metrics::SeriesMap Metrics::snapshot() const {
  std::lock_guard lock(mutex_);
  return series_;
}

std::string Metrics::render(const storage::PoolStats& pool) const {
  const SeriesMap series = snapshot();
  std::ostringstream out;
  out << "# HELP parcours_http_requests_total HTTP requests by route pattern, method and status.\n"
         "# TYPE parcours_http_requests_total counter\n";
  for (const auto& [key, s] : series) {
    for (const auto& [status, count] : s.byStatus) {
      out << "parcours_http_requests_total{route=\"" << key.first << "\",method=\"" << key.second << "\",status=\""
          << status << "\"} " << count << '\n';
    }
  }
  out << "# HELP parcours_http_request_duration_seconds Time from request read to response written.\n"
         "# TYPE parcours_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series) {
    const std::string labels = "route=\"" + key.first + "\",method=\"" + key.second + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += s.buckets[i];
      out << "parcours_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} "
          << cumulative << '\n';
    }
    out << "parcours_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << s.count << '\n';
    out << "parcours_http_request_duration_seconds_sum{" << labels << "} " << s.seconds << '\n';
    out << "parcours_http_request_duration_seconds_count{" << labels << "} " << s.count << '\n';
  }
  out << "# HELP parcours_http_connections_refused_total Connections closed before a request reached a worker.\n"
         "# TYPE parcours_http_connections_refused_total counter\n";
  static constexpr const char* kReasons[] = {"per_address_cap", "overload", "head_deadline", "head_too_large"};
  for (std::size_t i = 0; i < refusals_.size(); ++i) {
    out << "parcours_http_connections_refused_total{reason=\"" << kReasons[i] << "\"} "
        << refusals_[i].load(std::memory_order_relaxed) << '\n';
  }
  const auto sample = [&out](const char* name, const char* type, const char* help, auto value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
  };
  sample("parcours_db_pool_connections", "gauge", "Open database connections.", pool.size);
  sample("parcours_db_pool_in_use", "gauge", "Connections handed out now.", pool.inUse);
  sample("parcours_db_pool_capacity", "gauge", "Maximum open connections.", pool.capacity);
  sample("parcours_db_pool_waits_total", "counter", "Acquisitions that waited for a free connection.", pool.waits);
  sample("parcours_db_pool_timeouts_total", "counter", "Acquisitions that gave up.", pool.timeouts);
  sample("parcours_db_transaction_retries_total", "counter", "Transactions run again after a transient error.",
         pool.retries);
  return out.str();
}

}  // namespace parcours::api
