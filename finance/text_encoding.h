#pragma once
// Text encodings of bank files: UTF-8 (with or without a byte-order mark)
// and Windows-1252, which Québec banks still export (Desjardins CSV, OFX
// CHARSET:1252). Pure functions over bytes; every result is valid UTF-8.
//
// Windows-1252 has five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D).
// They are read as U+FFFD (the replacement character), not refused: a stray
// byte in a payee name must not make a whole statement unreadable, and the
// replacement stays visible to the person reviewing the line.

#include <string>
#include <string_view>

namespace parcours::finance {

// True when `bytes` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool isValidUtf8(std::string_view bytes);

// The 1-based line (LF, CR or CRLF end a line) of the first byte that makes
// `bytes` not UTF-8, or 0 when it is valid UTF-8.
int firstInvalidUtf8Line(std::string_view bytes);

// Each byte read as Windows-1252 (0x80–0x9F by the Windows table, 0xA0–0xFF
// as Latin-1, undefined bytes as U+FFFD), written as UTF-8.
std::string windows1252ToUtf8(std::string_view bytes);

// `bytes` without a leading UTF-8 byte-order mark, when it has one.
std::string_view stripUtf8Bom(std::string_view bytes);

// The text of a bank file whose encoding is not declared (or not trusted):
// the UTF-8 byte-order mark stripped; valid UTF-8 stays as it is; anything
// else is read as Windows-1252. Never fails.
std::string decodeStatementText(std::string_view bytes);

}  // namespace parcours::finance
