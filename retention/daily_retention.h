#pragma once
// DailyRetention — one background thread per daemon that runs retention
// (RetentionService::run, not a dry run) at start and then every `interval`
// (a day in production). A run that fails (the database unavailable,
// another daemon holding the lock too long) is logged, without names, and
// tried again at the next interval. stop() lets the file being anonymised
// finish, then the run stops (every file is its own transaction: the next
// run resumes with the rest).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "retention/retention_service.h"

namespace parcours::retention {

class DailyRetention {
 public:
  DailyRetention(RetentionService& service, std::chrono::seconds interval);
  ~DailyRetention();
  DailyRetention(const DailyRetention&) = delete;
  DailyRetention& operator=(const DailyRetention&) = delete;

  void start();
  void stop();

 private:
  void loop();
  void runOnce();

  RetentionService& service_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wakeUp_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parcours::retention
