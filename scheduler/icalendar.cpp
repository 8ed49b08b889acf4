#include "scheduler/icalendar.h"

namespace parcours::scheduler {

namespace {

std::string utcStamp(core::Instant instant) {
  return date::format("%Y%m%dT%H%M%SZ", instant);
}

// TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 3.3.11).
std::string escapeText(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out.push_back(c);
    }
  }
  return out;
}

// Content lines are folded at 75 octets, never inside a UTF-8 sequence.
void appendLine(std::string& out, const std::string& line) {
  std::size_t start = 0;
  std::size_t limit = 75;
  while (line.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, start, cut - start);
    out += "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line, start, std::string::npos);
  out += "\r\n";
}

}  // namespace

std::string renderICalendar(const std::vector<SessionView>& sessions, const std::string& calendarName) {
  std::string out;
  appendLine(out, "BEGIN:VCALENDAR");
  appendLine(out, "VERSION:2.0");
  appendLine(out, "PRODID:-//Parcours//Calendar//FR");
  appendLine(out, "CALSCALE:GREGORIAN");
  appendLine(out, "METHOD:PUBLISH");
  appendLine(out, "X-WR-CALNAME:" + escapeText(calendarName));
  for (const auto& s : sessions) {
    const bool cancelled = s.status == SessionStatus::cancelled || s.status == SessionStatus::late_cancelled;
    appendLine(out, "BEGIN:VEVENT");
    appendLine(out, "UID:session-" + (s.id ? s.id->toString() : std::string("0")) + "@parcours");
    appendLine(out, "DTSTAMP:" + utcStamp(s.updatedAt));
    appendLine(out, "DTSTART:" + utcStamp(s.slot.start));
    appendLine(out, "DTEND:" + utcStamp(s.slot.end));
    appendLine(out, "SEQUENCE:" + std::to_string(s.sequence));
    appendLine(out, "SUMMARY:" + escapeText("Séance " + s.participantCode));
    appendLine(out, std::string("STATUS:") + (cancelled ? "CANCELLED" : "CONFIRMED"));
    appendLine(out, "X-PARCOURS-STATUS:" + std::string(toString(s.status)));
    appendLine(out, "END:VEVENT");
  }
  appendLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace parcours::scheduler
