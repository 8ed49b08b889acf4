#pragma once
// Bank CSV exports read through profiles: which column holds what, how dates
// and amounts are written, which encoding the bytes are in.
//
// Columns are numbered from 0 (the first column is 0), in the built-in
// profiles and in the JSON configuration alike.
//
// parseCsv(bytes, profile) is a pure function: the statement's lines in file
// order, or StatementError naming the first line that makes the file not a
// statement of that profile (then nothing of the file is returned):
// - the bytes are decoded per the profile (utf8: refused on the first line
//   that is not UTF-8; windows1252; automatic: decodeStatementText);
// - the CSV is read by readCsvRecords (blank lines skipped anywhere);
// - the header rows are skipped; when the profile names an expected header,
//   the first row must be it (cells compared trimmed, case-insensitive;
//   extra empty cells at its end allowed), else line 1 is refused;
// - every other record is a transaction: a real date in the date format,
//   an amount that parses and is not zero, else its line is refused;
//   a record shorter than the profile's date and amount columns is refused;
// - with one signed amount column, a negative amount is a debit; with
//   withdrawal and deposit columns, the withdrawal's magnitude is a debit and
//   the deposit's a credit, and exactly one of them must hold an amount;
// - a record whose amount column is empty but whose other-currency column
//   (RBC USD$) holds one is refused: only Canadian-dollar lines are imported;
// - description = the description columns' non-empty cells, trimmed, inner
//   spaces collapsed, joined by one space; reference = the reference
//   columns' cells the same way; account = the account columns' cells
//   joined by '-'; sequence = the sequence column (leading zeros dropped);
// - a file with no transaction record at all is refused (line 1, or the
//   line after the header).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finance/statement_line.h"

namespace parcours::finance {

enum class CsvEncoding { utf8, windows1252, automatic };

struct CsvProfile {
  std::string name;    // "desjardins", "rbc", or a configured generic profile's name
  std::string format;  // ParsedStatement::format: "desjardins", "rbc", "generic:<name>"
  char delimiter = ',';
  int headerRows = 0;                       // rows before the transactions (the expected header among them)
  std::vector<std::string> expectedHeader;  // when set, the first row must be this header
  int dateColumn = 0;
  std::string dateFormat = "YYYY-MM-DD";  // see statement_values.h
  char decimalMark = '.';
  CsvEncoding encoding = CsvEncoding::automatic;
  std::optional<int> amountColumn;         // signed amount; or else:
  std::optional<int> withdrawalColumn;     // money out, as a magnitude
  std::optional<int> depositColumn;        // money in, as a magnitude
  std::optional<int> otherCurrencyColumn;  // an amount here alone refuses the line (RBC USD$)
  std::vector<int> descriptionColumns;
  std::vector<int> referenceColumns;
  std::vector<int> accountColumns;
  std::optional<int> sequenceColumn;
};

// Desjardins AccèsD "relevé" export: no header, Windows-1252 (or UTF-8),
// columns 0 caisse, 1 folio (transit), 2 account, 3 date YYYY/MM/DD,
// 4 sequence number, 5 description, 6 cheque number, 7 withdrawal,
// 8 deposit, 9 interest, 10 advance, 11 reimbursement, 12 balance
// (columns after 8 are not read). account = "caisse-folio-account";
// reference = the cheque number.
CsvProfile desjardinsProfile();

// RBC Royal Bank export: header "Account Type,Account Number,Transaction
// Date,Cheque Number,Description 1,Description 2,CAD$,USD$", date M/D/YYYY,
// CAD$ signed (negative = debit), USD$-only lines refused.
// account = the Account Number; reference = the cheque number.
CsvProfile rbcProfile();

// Generic profiles from configuration, e.g.
//   {"profiles":[{"name":"caisse-x","delimiter":";","header_rows":1,
//     "date_column":0,"date_format":"DD/MM/YYYY","decimal_mark":",",
//     "encoding":"windows-1252","amount_column":3,
//     "description_columns":[1,2],"reference_column":4,"account_column":5}]}
// Keys: name (required; letters, digits, '-', '_'; not "desjardins" or
// "rbc"; unique), delimiter ("," ";" or "\t", default ","), header_rows
// (≥ 0, default 0) or header (array of expected header cells), date_column
// (required), date_format (required), decimal_mark ("." or ",", default
// "."), encoding ("utf-8", "windows-1252" or "auto", default "auto"),
// amount_column, or withdrawal_column and deposit_column (exactly one of
// the two ways), description_columns (array or one number, required),
// reference_column or reference_columns, account_column or
// account_columns, sequence_column. Columns are integers 0..255.
// Throws core::Error(bad_request) naming the profile and the key.
std::vector<CsvProfile> genericProfilesFromJson(std::string_view json);

ParsedStatement parseCsv(std::string_view bytes, const CsvProfile& profile);

}  // namespace parcours::finance
