#include "retention/daily_retention.h"

#include <Poco/Logger.h>

namespace parcours::retention {

DailyRetention::DailyRetention(RetentionService& service, std::chrono::seconds interval)
    : service_(service), interval_(interval) {}

DailyRetention::~DailyRetention() {
  stop();
}

void DailyRetention::start() {
  thread_ = std::thread([this] { loop(); });
}

void DailyRetention::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeUp_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DailyRetention::loop() {
  for (;;) {
    runOnce();
    std::unique_lock lock(mutex_);
    if (wakeUp_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

void DailyRetention::runOnce() {
  auto& log = Poco::Logger::get("parcours.retention");
  try {
    const auto run = service_.run(false, {std::nullopt, {"retention-daily"}}, [this] {
      const std::lock_guard lock(mutex_);
      return stopping_;
    });
    if (!run.files.empty()) log.information("retention: " + std::to_string(run.files.size()) + " files anonymised");
  } catch (const std::exception& e) {
    log.warning(std::string("retention run failed, tried again at the next interval: ") + e.what());
  }
}

}  // namespace parcours::retention
