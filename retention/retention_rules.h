#pragma once
// Which closed participant files are due for anonymisation (pure).
//
// A file is closed when its status is final: `completed`, `withdrawn` or
// `ineligible`. It closed on the program-zone day of the event that made it
// final:
//   - withdrawn:  the withdrawal (participants.withdrawn_at);
//   - ineligible: the eligibility decision (participants.eligibility_at);
//   - completed:  the completion (the file's last update, which the
//                 completion makes: a final status has no later transition).
// It is due once `years` full years have passed since that day: on the
// anniversary itself, and at once when `years` is 0. A file closed on
// 29 February has its anniversary on 28 February of a common year.

#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "participants/lifecycle.h"

namespace parcours::retention {

// The instants a file's closing day is read from, as stored.
struct FileClosure {
  core::ParticipantId id{0};
  std::string code;
  participants::Status status = participants::Status::referred;
  std::optional<core::Instant> withdrawnAt;
  std::optional<core::Instant> eligibilityDecidedAt;
  std::optional<core::Instant> lastUpdatedAt;
};

// A closed file and the day it closed.
struct ClosedFile {
  core::ParticipantId id{0};
  std::string code;
  participants::Status status = participants::Status::referred;
  core::LocalDate closedOn;
};

// The day `file` closed, in `zone`; nullopt when its status is not final or
// the instant that status needs is missing.
std::optional<core::LocalDate> closingDay(const FileClosure& file, const date::time_zone& zone);

// The first day a file closed on `closedOn` is due: `years` years later
// (29 February → 28 February in a common year). REQUIRES: years >= 0.
core::LocalDate dueOn(core::LocalDate closedOn, int years);

// The closed files of `files` due on `today`, in the order given.
std::vector<ClosedFile> dueFiles(const std::vector<FileClosure>& files, core::LocalDate today, int years,
                                 const date::time_zone& zone);

// The allowed range of the `retention.years` setting.
inline constexpr int kMinRetentionYears = 0;
inline constexpr int kMaxRetentionYears = 100;

}  // namespace parcours::retention
