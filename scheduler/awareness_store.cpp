#include "scheduler/awareness_store.h"

#include "scheduler/session_store.h"

namespace parcours::scheduler {

std::string_view toString(SeatStatus status) {
  switch (status) {
    case SeatStatus::seated: return "seated";
    case SeatStatus::attended: return "attended";
    case SeatStatus::no_show: return "no_show";
    case SeatStatus::excused: return "excused";
  }
  return "seated";
}

std::optional<SeatStatus> seatStatusFromString(std::string_view text) {
  for (const SeatStatus s : {SeatStatus::seated, SeatStatus::attended, SeatStatus::no_show, SeatStatus::excused}) {
    if (toString(s) == text) return s;
  }
  return std::nullopt;
}

namespace {
// Speakers are stored one per line: names of staff and guests, not participants.
std::string joinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}
std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const auto end = text.find('\n', start);
    items.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return items;
}
}  // namespace

core::GroupSessionId AwarenessStore::insertDay(storage::Transaction& tx, const AwarenessDayView& day,
                                               core::Instant now) const {
  tx.execute(
      "INSERT INTO group_sessions (start_at, end_at, capacity, location, speakers, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {day.slot.start, day.slot.end, std::int64_t{day.capacity}, day.location, joinLines(day.speakers), now});
  return core::GroupSessionId(tx.lastInsertId());
}

std::optional<AwarenessDayView> AwarenessStore::findDay(storage::Transaction& tx, core::GroupSessionId id) const {
  const auto row = tx.queryOne(
      "SELECT id, start_at, end_at, capacity, location, speakers FROM group_sessions WHERE id = ?", {storage::id(id)});
  if (!row) return std::nullopt;
  AwarenessDayView view;
  view.id = row->id<core::GroupSessionTag>(0);
  view.slot = {row->instant(1), row->instant(2)};
  view.capacity = static_cast<int>(row->int64(3));
  view.location = row->text(4);
  view.speakers = splitLines(row->text(5));
  view.seatsTaken = static_cast<int>(
      tx.queryOne("SELECT COUNT(*) FROM seats WHERE group_session_id = ?", {storage::id(id)})->int64(0));
  return view;
}

bool AwarenessStore::hasSeat(storage::Transaction& tx, core::GroupSessionId day,
                             core::ParticipantId participant) const {
  return tx
      .queryOne("SELECT participant_id FROM seats WHERE group_session_id = ? AND participant_id = ?",
                {storage::id(day), storage::id(participant)})
      .has_value();
}

bool AwarenessStore::seatedElsewhere(storage::Transaction& tx, core::ParticipantId participant,
                                     core::GroupSessionId day, Interval span) const {
  return tx
      .queryOne(
          "SELECT g.id FROM seats s JOIN group_sessions g ON g.id = s.group_session_id WHERE s.participant_id = ?"
          " AND g.id <> ? AND g.start_at < ? AND g.end_at > ? LIMIT 1",
          {storage::id(participant), storage::id(day), span.end, span.start})
      .has_value();
}

bool AwarenessStore::hasSessionDuring(storage::Transaction& tx, core::ParticipantId participant, Interval span) const {
  return tx
      .queryOne(std::string("SELECT id FROM sessions WHERE participant_id = ? AND ") + kHoldsTimeSql +
                    " AND start_at < ? AND end_at > ? LIMIT 1",
                {storage::id(participant), span.end, span.start})
      .has_value();
}

void AwarenessStore::insertSeat(storage::Transaction& tx, core::GroupSessionId day, core::ParticipantId participant,
                                core::Instant now) const {
  tx.execute("INSERT INTO seats (group_session_id, participant_id, status, created_at) VALUES (?, ?, 'seated', ?)",
             {storage::id(day), storage::id(participant), now});
}

void AwarenessStore::setSeatStatus(storage::Transaction& tx, core::GroupSessionId day, core::ParticipantId participant,
                                   SeatStatus status) const {
  tx.execute("UPDATE seats SET status = ? WHERE group_session_id = ? AND participant_id = ?",
             {std::string(toString(status)), storage::id(day), storage::id(participant)});
}

std::optional<core::Instant> AwarenessStore::firstAttendedStart(storage::Transaction& tx,
                                                                core::ParticipantId participant) const {
  const auto row = tx.queryOne(
      "SELECT g.start_at FROM seats s JOIN group_sessions g ON g.id = s.group_session_id"
      " WHERE s.participant_id = ? AND s.status = 'attended' ORDER BY g.start_at LIMIT 1",
      {storage::id(participant)});
  if (!row) return std::nullopt;
  return row->instant(0);
}

}  // namespace parcours::scheduler
