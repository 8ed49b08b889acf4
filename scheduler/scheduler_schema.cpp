#include "scheduler/scheduler_schema.h"

namespace parcours::scheduler {

namespace {
constexpr const char* kMysqlTable = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

std::string mysql(std::string ddl) {
  return ddl + kMysqlTable;
}
}  // namespace

std::vector<storage::Migration> schedulerMigrations() {
  std::vector<storage::Migration> all;
  all.push_back({"scheduler/0001_practitioners",
                 {"CREATE TABLE IF NOT EXISTS practitioners (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  " display_name TEXT NOT NULL, discipline TEXT NOT NULL, email TEXT NOT NULL, time_zone TEXT NOT NULL,"
                  " session_minutes INTEGER NOT NULL, buffer_minutes INTEGER NOT NULL, created_at TEXT NOT NULL,"
                  " version INTEGER NOT NULL DEFAULT 0)"},
                 {"CREATE TABLE IF NOT EXISTS practitioners (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                  " display_name VARCHAR(200) NOT NULL, discipline VARCHAR(20) NOT NULL, email VARCHAR(254) NOT NULL,"
                  " time_zone VARCHAR(64) NOT NULL, session_minutes INT NOT NULL, buffer_minutes INT NOT NULL,"
                  " created_at DATETIME NOT NULL, version BIGINT NOT NULL DEFAULT 0)"
                  " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}});
  // Sessions are UTC instants with their end; `calendar_locks` holds one row
  // per practitioner and per participant that every booking bumps before it
  // checks for overlaps, so two bookings of one person serialise (and, on a
  // Galera cluster, the second fails at commit and is retried).
  all.push_back(
      {"scheduler/0002_calendars",
       {
           "CREATE TABLE IF NOT EXISTS availability (practitioner_id INTEGER NOT NULL, weekday INTEGER NOT NULL,"
           " start_minute INTEGER NOT NULL, end_minute INTEGER NOT NULL,"
           " PRIMARY KEY (practitioner_id, weekday, start_minute))",
           "CREATE TABLE IF NOT EXISTS time_off (id INTEGER PRIMARY KEY AUTOINCREMENT, practitioner_id INTEGER NOT "
           "NULL,"
           " first_date TEXT NOT NULL, last_date TEXT NOT NULL, reason TEXT NULL, created_at TEXT NOT NULL)",
           "CREATE TABLE IF NOT EXISTS closures (id INTEGER PRIMARY KEY AUTOINCREMENT, closed_on TEXT NOT NULL UNIQUE,"
           " name TEXT NOT NULL, created_at TEXT NOT NULL)",
           "CREATE TABLE IF NOT EXISTS calendar_locks (name TEXT PRIMARY KEY, version INTEGER NOT NULL)",
           "CREATE TABLE IF NOT EXISTS plans (id INTEGER PRIMARY KEY AUTOINCREMENT, participant_id INTEGER NOT NULL,"
           " practitioner_id INTEGER NOT NULL, weeks INTEGER NOT NULL, start_on TEXT NOT NULL,"
           " regular_weekday INTEGER NULL, regular_minute INTEGER NULL, created_at TEXT NOT NULL)",
           "CREATE TABLE IF NOT EXISTS sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, practitioner_id INTEGER NOT "
           "NULL,"
           " participant_id INTEGER NOT NULL, plan_id INTEGER NULL, start_at TEXT NOT NULL, end_at TEXT NOT NULL,"
           " status TEXT NOT NULL, cancelled_by TEXT NULL, cancel_reason TEXT NULL, sequence INTEGER NOT NULL DEFAULT "
           "0,"
           " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
           "CREATE INDEX IF NOT EXISTS sessions_practitioner ON sessions (practitioner_id, start_at)",
           "CREATE INDEX IF NOT EXISTS sessions_participant ON sessions (participant_id, start_at)",
           "CREATE TABLE IF NOT EXISTS feed_tokens (practitioner_id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL "
           "UNIQUE,"
           " created_at TEXT NOT NULL)",
           "CREATE TABLE IF NOT EXISTS group_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, start_at TEXT NOT NULL,"
           " end_at TEXT NOT NULL, capacity INTEGER NOT NULL, location TEXT NOT NULL, speakers TEXT NOT NULL,"
           " created_at TEXT NOT NULL)",
           "CREATE TABLE IF NOT EXISTS seats (group_session_id INTEGER NOT NULL, participant_id INTEGER NOT NULL,"
           " status TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (group_session_id, participant_id))",
       },
       {
           mysql("CREATE TABLE IF NOT EXISTS availability (practitioner_id BIGINT NOT NULL, weekday INT NOT NULL,"
                 " start_minute INT NOT NULL, end_minute INT NOT NULL,"
                 " PRIMARY KEY (practitioner_id, weekday, start_minute))"),
           mysql("CREATE TABLE IF NOT EXISTS time_off (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                 " practitioner_id BIGINT NOT NULL, first_date DATE NOT NULL, last_date DATE NOT NULL,"
                 " reason VARCHAR(500) NULL, created_at DATETIME NOT NULL)"),
           mysql("CREATE TABLE IF NOT EXISTS closures (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                 " closed_on DATE NOT NULL UNIQUE, name VARCHAR(200) NOT NULL, created_at DATETIME NOT NULL)"),
           mysql("CREATE TABLE IF NOT EXISTS calendar_locks (name VARCHAR(64) NOT NULL PRIMARY KEY,"
                 " version BIGINT NOT NULL)"),
           mysql("CREATE TABLE IF NOT EXISTS plans (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                 " participant_id BIGINT NOT NULL, practitioner_id BIGINT NOT NULL, weeks INT NOT NULL,"
                 " start_on DATE NOT NULL, regular_weekday INT NULL, regular_minute INT NULL,"
                 " created_at DATETIME NOT NULL)"),
           mysql("CREATE TABLE IF NOT EXISTS sessions (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                 " practitioner_id BIGINT NOT NULL, participant_id BIGINT NOT NULL, plan_id BIGINT NULL,"
                 " start_at DATETIME NOT NULL, end_at DATETIME NOT NULL, status VARCHAR(20) NOT NULL,"
                 " cancelled_by VARCHAR(20) NULL, cancel_reason VARCHAR(1000) NULL, sequence INT NOT NULL DEFAULT 0,"
                 " created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,"
                 " INDEX sessions_practitioner (practitioner_id, start_at),"
                 " INDEX sessions_participant (participant_id, start_at))"),
           mysql("CREATE TABLE IF NOT EXISTS feed_tokens (practitioner_id BIGINT NOT NULL PRIMARY KEY,"
                 " token_hash CHAR(64) NOT NULL UNIQUE, created_at DATETIME NOT NULL)"),
           mysql("CREATE TABLE IF NOT EXISTS group_sessions (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                 " start_at DATETIME NOT NULL, end_at DATETIME NOT NULL, capacity INT NOT NULL,"
                 " location VARCHAR(500) NOT NULL, speakers VARCHAR(2000) NOT NULL, created_at DATETIME NOT NULL)"),
           mysql("CREATE TABLE IF NOT EXISTS seats (group_session_id BIGINT NOT NULL, participant_id BIGINT NOT NULL,"
                 " status VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL,"
                 " PRIMARY KEY (group_session_id, participant_id))"),
       }});
  // A cancellation reason is clinical free text: encrypted at rest, bound to
  // its session. The clear column stays for rows cancelled before, emptied
  // at start by SchedulingService::sealClearReasons.
  // So is a practitioner's reason for time off (a leave can say why).
  all.push_back({"scheduler/0003_encrypted_reasons",
                 {"ALTER TABLE sessions ADD COLUMN cancel_reason_enc BLOB NULL",
                  "ALTER TABLE time_off ADD COLUMN reason_enc BLOB NULL"},
                 {"ALTER TABLE sessions ADD COLUMN IF NOT EXISTS cancel_reason_enc BLOB NULL",
                  "ALTER TABLE time_off ADD COLUMN IF NOT EXISTS reason_enc BLOB NULL"}});
  return all;
}

std::vector<identity::EncryptedColumn> schedulerEncryptedColumns() {
  return {{"sessions", "cancel_reason_enc", "sessions.cancel_reason"}, {"time_off", "reason_enc", "time_off.reason"}};
}

}  // namespace parcours::scheduler
