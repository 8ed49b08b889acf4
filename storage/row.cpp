#include <charconv>

#include "storage/database.h"
#include "storage/sql_time.h"

namespace parcours::storage {

namespace {
[[noreturn]] void mismatch(std::size_t i, const char* wanted) {
  throw DatabaseError("column " + std::to_string(i) + " is not " + wanted);
}
}  // namespace

const Value& Row::value(std::size_t i) const {
  if (i >= values_.size()) throw DatabaseError("column " + std::to_string(i) + " out of range");
  return values_[i];
}

bool Row::isNull(std::size_t i) const {
  return std::holds_alternative<Null>(value(i));
}

std::int64_t Row::int64(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    // MariaDB hands DECIMAL/aggregate results back as text.
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
    if (ec == std::errc() && end == s->data() + s->size()) return n;
  }
  mismatch(i, "an integer");
}

std::string Row::text(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* t = std::get_if<core::Instant>(&v)) return formatSqlInstant(*t);
  if (const auto* d = std::get_if<core::LocalDate>(&v)) return core::formatDate(*d);
  mismatch(i, "text");
}

std::string Row::blob(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  mismatch(i, "a blob");
}

core::Instant Row::instant(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* t = std::get_if<core::Instant>(&v)) return *t;
  if (const auto* s = std::get_if<std::string>(&v)) return parseSqlInstant(*s);
  mismatch(i, "an instant");
}

core::LocalDate Row::date(std::size_t i) const {
  const Value& v = value(i);
  if (const auto* d = std::get_if<core::LocalDate>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    try {
      return core::parseDate(*s);
    } catch (const core::Error&) {
      mismatch(i, "a date (YYYY-MM-DD)");
    }
  }
  mismatch(i, "a date");
}

std::optional<core::LocalDate> Row::optDate(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  return date(i);
}

std::optional<std::int64_t> Row::optInt64(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  return int64(i);
}
std::optional<std::string> Row::optText(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  return text(i);
}
std::optional<core::Instant> Row::optInstant(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  return instant(i);
}

std::optional<Row> Transaction::queryOne(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace parcours::storage
