#include "scheduler/practitioner_service.h"

#include <algorithm>

#include "identity/audit_log.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

namespace {

constexpr const char* kColumns =
    "id, display_name, discipline, email, time_zone, session_minutes, buffer_minutes, created_at";

PractitionerView fromRow(const storage::Row& row) {
  return {row.int64(0),
          row.text(1),
          row.text(2),
          row.text(3),
          row.text(4),
          static_cast<int>(row.int64(5)),
          static_cast<int>(row.int64(6)),
          row.instant(7)};
}

bool hasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

std::vector<storage::Migration> practitionerMigrations() {
  return {{"scheduler/0001_practitioners",
           {"CREATE TABLE IF NOT EXISTS practitioners (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " display_name TEXT NOT NULL, discipline TEXT NOT NULL, email TEXT NOT NULL, time_zone TEXT NOT NULL,"
            " session_minutes INTEGER NOT NULL, buffer_minutes INTEGER NOT NULL, created_at TEXT NOT NULL,"
            " version INTEGER NOT NULL DEFAULT 0)"},
           {"CREATE TABLE IF NOT EXISTS practitioners (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " display_name VARCHAR(200) NOT NULL, discipline VARCHAR(20) NOT NULL, email VARCHAR(254) NOT NULL,"
            " time_zone VARCHAR(64) NOT NULL, session_minutes INT NOT NULL, buffer_minutes INT NOT NULL,"
            " created_at DATETIME NOT NULL, version BIGINT NOT NULL DEFAULT 0)"
            " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}}};
}

PractitionerService::PractitionerService(storage::Database& database, const core::Clock& clock,
                                         std::string defaultTimeZone)
    : database_(database), clock_(clock), defaultTimeZone_(std::move(defaultTimeZone)) {}

PractitionerView PractitionerService::create(const NewPractitioner& in, const identity::AuditContext& context) {
  Error errors(ErrorCode::unprocessable, "the practitioner is not valid");
  bool failed = false;
  const auto fail = [&](const std::string& field, const std::string& message) {
    errors.addFieldError(field, message);
    failed = true;
  };
  const std::string name = in.displayName.value_or("");
  if (name.empty() || name.size() > 200 || hasControl(name))
    fail("display_name", "1 to 200 bytes, no control characters");
  const std::string discipline = in.discipline.value_or("");
  if (discipline != "sexologist" && discipline != "therapist") fail("discipline", "must be sexologist or therapist");
  const std::string email = in.email.value_or("");
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
      hasControl(email) || email.find(' ') != std::string::npos) {
    fail("email", "must be an e-mail address");
  }
  const std::string zone = in.timeZone.value_or(defaultTimeZone_);
  try {
    core::findZone(zone);
  } catch (const Error&) {
    fail("time_zone", "unknown IANA time zone");
  }
  const std::int64_t session = in.sessionMinutes.value_or(60);
  if (session < 30 || session > 120 || session % 15 != 0) fail("session_minutes", "30 to 120, a multiple of 15");
  const std::int64_t buffer = in.bufferMinutes.value_or(0);
  if (buffer < 0 || buffer > 120) fail("buffer_minutes", "0 to 120");
  if (failed) throw errors;
  const auto now = clock_.now();
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute(
        "INSERT INTO practitioners (display_name, discipline, email, time_zone, session_minutes, buffer_minutes,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {name, discipline, email, zone, session, buffer, now});
    const std::int64_t id = tx.lastInsertId();
    identity::recordAudit(
        tx,
        {context.actorUserId, "practitioner.create", "practitioner", std::to_string(id), context.requestId, discipline},
        now);
    return fromRow(*tx.queryOne(std::string("SELECT ") + kColumns + " FROM practitioners WHERE id = ?", {id}));
  });
}

PractitionerView PractitionerService::get(std::int64_t id) const {
  const auto row = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne(std::string("SELECT ") + kColumns + " FROM practitioners WHERE id = ?", {id});
  });
  if (!row) throw Error(ErrorCode::not_found, "no such practitioner");
  return fromRow(*row);
}

std::vector<PractitionerView> PractitionerService::list(std::optional<std::int64_t> afterId, int limit) const {
  const auto rows = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.query(std::string("SELECT ") + kColumns + " FROM practitioners WHERE id > ? ORDER BY id LIMIT ?",
                    {afterId.value_or(0), std::int64_t{limit}});
  });
  std::vector<PractitionerView> views;
  for (const auto& row : rows) views.push_back(fromRow(row));
  return views;
}

bool PractitionerService::exists(std::int64_t id) const {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return tx.queryOne("SELECT id FROM practitioners WHERE id = ?", {id}).has_value();
  });
}

}  // namespace parcours::scheduler
