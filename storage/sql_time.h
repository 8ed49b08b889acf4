#pragma once
// How instants travel to and from SQL: UTC text "YYYY-MM-DD HH:MM:SS", which
// sorts correctly as text in SQLite and is a DATETIME literal in MariaDB.

#include <string>
#include <string_view>

#include "core/time.h"

namespace parcours::storage {

std::string formatSqlInstant(core::Instant instant);
// Accepts "YYYY-MM-DD HH:MM:SS" with optional fractional seconds; throws
// DatabaseError on anything else.
core::Instant parseSqlInstant(std::string_view text);

}  // namespace parcours::storage
