#pragma once
// Text rules shared by the participants' input validation: UTF-8 well-
// formedness, code-point counting, trimming and control characters. Pure
// functions on bytes; no locale, no allocation beyond the returned string.

#include <cstddef>
#include <string>
#include <string_view>

namespace parcours::participants {

// True when `text` is well-formed UTF-8 (RFC 3629): no stray continuation
// bytes, no truncated sequences, no overlong forms, no UTF-16 surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF.
bool isValidUtf8(std::string_view text) noexcept;

// The number of code points in `text` (what a user calls "characters").
// REQUIRES: isValidUtf8(text); otherwise the count is only an estimate.
std::size_t codePoints(std::string_view text) noexcept;

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \v,
// \f, \r). Other spaces (e.g. U+00A0) are kept: they are not what a stray
// keystroke in a form produces.
std::string trim(std::string_view text);

// True when `text` holds a control character: C0 (U+0000..U+001F, NUL
// included), DEL (U+007F) or C1 (U+0080..U+009F). A line feed (\n) is
// allowed when `allowNewline`; a carriage return never is.
// REQUIRES: isValidUtf8(text) for C1 detection.
bool hasControlCharacters(std::string_view text, bool allowNewline) noexcept;

}  // namespace parcours::participants
