#pragma once
// The small values inside a bank line, read as banks write them. Pure
// functions shared by every statement parser; each answers nullopt (never
// throws) so that the parser can name the line in its StatementError.
//
// Amounts. Accepted: an optional sign ("-45.00", "+45.00"), a trailing minus
// ("45.00-") or accountants' parentheses ("(45.00)") for a negative amount,
// an optional "$" before or after the number, at most two decimals after the
// decimal mark (more only when the extra ones are zeros: "45.5000"), and
// thousands separators in groups of three: with '.' as decimal mark a comma
// or a space ("1,234.56", "1 234.56"); with ',' a space or a period
// ("1 234,56", "1.234,56"). Spaces include the no-break spaces U+00A0 and
// U+202F that French-Canadian exports put between thousands. At most
// 13 integer digits. Everything else ("1,23" with '.', "12.345.6", "abc",
// two signs) is not an amount.
//
// Dates follow a pattern made of YYYY, MM (or M) and DD (or D) and literal
// separators: "YYYY/MM/DD", "YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY",
// "M/D/YYYY", "YYYYMMDD". In a pattern with separators a month or day takes
// one or two digits ("3/7/2027" reads with "MM/DD/YYYY"); in a pattern
// without any ("YYYYMMDD") exactly as many as the pattern shows. The date
// must exist.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace parcours::finance {

// Cents of `text` (surrounding spaces ignored) with `decimalMark` '.' or ','.
std::optional<std::int64_t> parseAmountCents(std::string_view text, char decimalMark);

// True when `pattern` names each of year, month and day exactly once.
bool isDatePattern(std::string_view pattern);
// The date of `text` (surrounding spaces ignored) read with `pattern`.
std::optional<core::LocalDate> parseDateWithPattern(std::string_view text, std::string_view pattern);

// `text` without leading and trailing ASCII spaces, tabs and line ends.
std::string_view trimSpaces(std::string_view text);
// Inner runs of white space made one space, ends trimmed.
std::string collapseSpaces(std::string_view text);
// `text` in double quotes for an error message, cut to at most
// kMaxExcerptBytes at a character boundary ("…" marks the cut): a refusal
// quotes the offending cell, never a whole line, and stays short.
inline constexpr std::size_t kMaxExcerptBytes = 40;
std::string quotedExcerpt(std::string_view text);
// The non-empty parts, each trimmed, joined by `separator`.
std::string joinNonEmpty(std::initializer_list<std::string_view> parts, std::string_view separator = " ");

}  // namespace parcours::finance
