#pragma once
// RFC 4180 records, as banks write them, from text already decoded to UTF-8.
//
// - The delimiter is chosen by the caller (',', ';' or a tab).
// - A field that starts with '"' is quoted: it runs to the next lone '"',
//   "" inside it is one '"', and it may hold delimiters and line ends (kept
//   as they are). Text between the closing quote and the next delimiter is
//   appended as it is (spreadsheets write `"12"34` too; it is not refused).
// - A '"' inside an unquoted field is an ordinary character.
// - Records end at LF, CRLF or a lone CR.
// - A record whose cells are all empty or spaces (a blank line, a line of
//   delimiters), anywhere in the file, is skipped.
// - Each record carries the 1-based line where it starts, so an error about
//   a record spanning several lines names its first one.
// - A quoted field still open at the end of the text throws
//   StatementError naming the line where that field started.
// Cells are returned as written (not trimmed).

#include <string>
#include <string_view>
#include <vector>

namespace parcours::finance {

struct CsvRecord {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
  bool operator==(const CsvRecord&) const = default;
};

// REQUIRES: `delimiter` is not '"', CR or LF.
std::vector<CsvRecord> readCsvRecords(std::string_view text, char delimiter);

}  // namespace parcours::finance
