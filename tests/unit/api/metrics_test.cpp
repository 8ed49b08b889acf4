#include <catch2/catch.hpp>

#include "api/metrics.h"

using parcours::api::Metrics;

TEST_CASE("metrics count requests by route, method and status with a histogram", "[metrics]") {
  Metrics metrics;
  using std::chrono::milliseconds;
  metrics.recordRequest("/healthz", "GET", 200, milliseconds(1));
  metrics.recordRequest("/healthz", "GET", 200, milliseconds(30));
  metrics.recordRequest("/healthz", "POST", 405, milliseconds(0));
  parcours::storage::PoolStats pool;
  pool.size = 3;
  pool.capacity = 16;
  const std::string text = metrics.render(pool);
  CHECK_THAT(text, Catch::Contains("parcours_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"));
  CHECK_THAT(text,
             Catch::Contains("parcours_http_requests_total{route=\"/healthz\",method=\"POST\",status=\"405\"} 1"));
  // 1 ms falls in le=0.001; 30 ms first in le=0.05.
  CHECK_THAT(text,
             Catch::Contains(
                 "parcours_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.001\"} 1"));
  CHECK_THAT(text,
             Catch::Contains(
                 "parcours_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.025\"} 1"));
  CHECK_THAT(text,
             Catch::Contains(
                 "parcours_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.05\"} 2"));
  CHECK_THAT(text,
             Catch::Contains("parcours_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 2"));
  CHECK_THAT(text, Catch::Contains("parcours_db_pool_connections 3"));
  CHECK_THAT(text, Catch::Contains("parcours_db_pool_capacity 16"));
}

TEST_CASE("refused connections are counted by reason", "[metrics]") {
  Metrics metrics;
  metrics.recordRefusal(Metrics::Refusal::per_address_cap);
  metrics.recordRefusal(Metrics::Refusal::per_address_cap);
  const std::string text = metrics.render(parcours::storage::PoolStats{});
  CHECK_THAT(text, Catch::Contains("parcours_http_connections_refused_total{reason=\"per_address_cap\"} 2"));
  CHECK_THAT(text, Catch::Contains("parcours_http_connections_refused_total{reason=\"head_deadline\"} 0"));
}
