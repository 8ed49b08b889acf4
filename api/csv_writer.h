#pragma once
// CsvWriter — the CSV form of a report (`Accept: text/csv`), written
// straight into a string:
//
//   CsvWriter w;
//   w.header({"date", "account", "debit", "credit", "document"});
//   w.row().date(day).text(account).cents(debit).cents(credit).text(number).end();
//   return w.take();
//
// RFC 4180: UTF-8 bytes as given, comma separated, CRLF after every row
// (the header too); a field holding a comma, a double quote, CR or LF is
// enclosed in double quotes with its quotes doubled.
//
// Safe to open in a spreadsheet: a text cell that would start with `=`,
// `+`, `-`, `@`, a tab or CR — which Excel, LibreOffice and Google Sheets
// read as a formula — and is not a plain number (isPlainNumber) gets a
// single quote `'` in front, before any quoting. Numbers written through
// cents() and integer() are never escaped: they are the report's figures.
//
// Every row has the header's number of cells; a row that has not, or a row
// before the header, is a programming error (core::Error internal).

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace parcours::api {

class CsvWriter {
 public:
  class Row {
   public:
    Row& text(std::string_view value);  // escaped when it could be a formula, quoted when needed
    Row& cents(std::int64_t cents);     // "-12.34", "0.05"
    Row& integer(std::int64_t value);   // "-42"
    Row& date(core::LocalDate day);     // "2027-03-01"
    Row& empty();                       // an empty cell
    // Ends the row (CRLF). REQUIRES: as many cells as the header has.
    CsvWriter& end();

   private:
    friend class CsvWriter;
    explicit Row(CsvWriter& writer) : writer_(writer) {}
    Row& cell(std::string_view field);
    CsvWriter& writer_;
    std::size_t cells_ = 0;
  };

  // The first row: the column names (written as text cells). Once, first.
  CsvWriter& header(std::initializer_list<std::string_view> names);
  CsvWriter& header(const std::vector<std::string>& names);  // the same, from a list made at run time
  Row row();

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::size_t columns_ = 0;  // 0: no header yet
};

// "-12.34" from -1234, "0.05" from 5: a dot, two decimals, no grouping.
std::string centsAsDecimal(std::int64_t cents);

// An optional sign, digits, and optionally a dot and more digits
// ("-12.34", "+5", "0.05", "12."); at least one digit. Such text is a
// number to a spreadsheet, not a formula, and is written as it is.
bool isPlainNumber(std::string_view text);

// The text as a spreadsheet-safe cell, before quoting: a leading `'` when
// it starts with = + - @ TAB or CR and is not a plain number.
std::string spreadsheetSafe(std::string_view text);

}  // namespace parcours::api
