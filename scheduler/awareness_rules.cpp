#include "scheduler/awareness_rules.h"

#include "core/error.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

AwarenessDayView validateAwarenessDay(core::Instant start, int minutes, std::optional<int> capacity,
                                      const std::string& location, const std::vector<std::string>& speakers,
                                      core::Instant now) {
  Error errors(ErrorCode::unprocessable, "the awareness day is not valid");
  bool failed = false;
  const auto fail = [&](std::string field, std::string message) {
    errors.addFieldError(std::move(field), std::move(message));
    failed = true;
  };
  if (start < now) fail("start", "must not be in the past");
  if (minutes < 30 || minutes > 12 * 60) fail("minutes", "30 to 720");
  const int seats = capacity.value_or(12);
  if (seats < 1 || seats > 500) fail("capacity", "1 to 500");
  if (location.empty() || location.size() > 500) fail("location", "1 to 500 bytes");
  if (speakers.empty() || speakers.size() > 20) fail("speakers", "1 to 20 speakers");
  for (const auto& speaker : speakers) {
    if (speaker.empty() || speaker.size() > 200 || speaker.find('\n') != std::string::npos) {
      fail("speakers", "each speaker 1 to 200 bytes on one line");
      break;
    }
  }
  if (failed) throw errors;
  AwarenessDayView day;
  day.slot = {start, start + std::chrono::minutes(minutes)};
  day.capacity = seats;
  day.location = location;
  day.speakers = speakers;
  return day;
}

void requireSeatable(participants::Status status) {
  if (status != participants::Status::enrolled && status != participants::Status::in_therapy) {
    throw Error(ErrorCode::conflict, "only an enrolled participant can be seated")
        .withMember("current_status", core::jsonQuote(participants::toString(status)));
  }
}

SeatStatus parseSeatAttendance(const std::string& status) {
  const auto parsed = seatStatusFromString(status);
  if (!parsed || *parsed == SeatStatus::seated) {
    throw Error(ErrorCode::unprocessable, "must be attended, no_show or excused", "status");
  }
  return *parsed;
}

void requireDayStarted(SeatStatus status, core::Instant dayStart, core::Instant now) {
  if (status != SeatStatus::excused && now < dayStart) {
    throw Error(ErrorCode::conflict, "attendance is recorded once the awareness day has started");
  }
}

}  // namespace parcours::scheduler
