#pragma once
// detail::PooledDatabase — what both drivers share: a bounded pool that hands
// one connection to one thread at a time, and the transaction loop that
// retries transient failures. A driver supplies only `Connection`s.

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "storage/database.h"

namespace parcours::storage::detail {

// One open connection of a driver. It doubles as the Transaction handed to
// work functions while a transaction is open on it.
class Connection : public Transaction {
 public:
  virtual void begin(TxMode mode) = 0;
  virtual void commit() = 0;
  // Never throws; a failed rollback marks the connection broken.
  virtual void rollback() noexcept = 0;
  // True when the connection must not go back to the pool (server gone,
  // protocol error, failed rollback).
  virtual bool broken() const noexcept = 0;
};

struct PoolOptions {
  std::size_t capacity = 16;
  std::chrono::milliseconds acquireTimeout{5000};
  int maxAttempts = 10;  // runs of a transaction before giving up (→ 503)
};

class PooledDatabase : public Database {
 public:
  explicit PooledDatabase(PoolOptions options);
  ~PooledDatabase() override;

  bool ping() noexcept override;
  PoolStats poolStats() const override;

 protected:
  // Opens a new connection; throws core::Error(unavailable) when the server
  // cannot be reached.
  virtual std::unique_ptr<Connection> connect() = 0;

  void runTransaction(TxMode mode, const std::function<void(Transaction&)>& work) override;

  // A connection held for the lifetime of the lease; returned to the pool
  // (or dropped when broken) on destruction.
  class Lease {
   public:
    Lease(PooledDatabase& owner, std::unique_ptr<Connection> connection)
        : owner_(&owner), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    PooledDatabase* owner_;
    std::unique_ptr<Connection> connection_;
  };
  Lease acquire();

  // Drivers call this from their destructor so connections close while the
  // driver's state still exists.
  void closeAll() noexcept;

 private:
  void release(std::unique_ptr<Connection> connection) noexcept;

  const PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  std::size_t inUse_ = 0;
  std::atomic<std::uint64_t> waits_{0};
  std::atomic<std::uint64_t> timeouts_{0};
  std::atomic<std::uint64_t> retries_{0};
};

}  // namespace parcours::storage::detail
