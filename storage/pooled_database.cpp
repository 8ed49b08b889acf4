#include "storage/pooled_database.h"

#include <random>
#include <thread>

namespace parcours::storage::detail {

PooledDatabase::PooledDatabase(PoolOptions options) : options_(options) {}

PooledDatabase::~PooledDatabase() {
  closeAll();
}

void PooledDatabase::closeAll() noexcept {
  std::vector<std::unique_ptr<Connection>> doomed;
  {
    std::lock_guard lock(mutex_);
    doomed.swap(idle_);
    open_ -= doomed.size();
  }
}

PooledDatabase::Lease::~Lease() {
  if (connection_) owner_->release(std::move(connection_));
}

PooledDatabase::Lease PooledDatabase::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + options_.acquireTimeout;
  bool waited = false;
  while (idle_.empty() && open_ >= options_.capacity) {
    waited = true;
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.capacity) {
      ++timeouts_;
      throw core::Error(core::ErrorCode::unavailable, "database connection pool exhausted");
    }
  }
  if (waited) ++waits_;
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    ++inUse_;
    return Lease(*this, std::move(connection));
  }
  // Open a new connection outside the lock: connecting can take a while.
  ++open_;
  ++inUse_;
  lock.unlock();
  try {
    return Lease(*this, connect());
  } catch (...) {
    lock.lock();
    --open_;
    --inUse_;
    available_.notify_one();
    throw;
  }
}

void PooledDatabase::release(std::unique_ptr<Connection> connection) noexcept {
  const bool keep = !connection->broken();
  if (!keep) connection.reset();  // close outside the pool's bookkeeping
  std::lock_guard lock(mutex_);
  --inUse_;
  if (keep) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  available_.notify_one();
}

void PooledDatabase::runTransaction(TxMode mode, const std::function<void(Transaction&)>& work) {
  thread_local std::minstd_rand jitter{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    try {
      Lease connection = acquire();
      connection->begin(mode);
      try {
        work(*connection);
        connection->commit();
        return;
      } catch (...) {
        connection->rollback();
        throw;
      }
    } catch (const TransientError& e) {
      if (attempt >= options_.maxAttempts) {
        throw core::Error(core::ErrorCode::unavailable,
                          std::string("database busy, gave up after retries: ") + e.what());
      }
      ++retries_;
      // Exponential backoff with full jitter, capped at 200 ms.
      const int ceiling = std::min(200, 2 << std::min(attempt, 7));
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(1, ceiling)(jitter)));
    }
  }
}

bool PooledDatabase::ping() noexcept {
  try {
    Lease connection = acquire();
    connection->begin(TxMode::read);
    try {
      connection->query("SELECT 1");
      connection->commit();
    } catch (...) {
      connection->rollback();
      throw;
    }
    return true;
  } catch (...) {
    // Not ready, whatever the cause; the reason is not the caller's concern.
    return false;
  }
}

PoolStats PooledDatabase::poolStats() const {
  std::lock_guard lock(mutex_);
  PoolStats stats;
  stats.size = open_;
  stats.inUse = inUse_;
  stats.capacity = options_.capacity;
  stats.waits = waits_.load();
  stats.timeouts = timeouts_.load();
  stats.retries = retries_.load();
  return stats;
}

}  // namespace parcours::storage::detail
