#include "finance/csv_profiles.h"

#include <algorithm>
#include <cctype>

#include "finance/csv_reader.h"
#include "finance/statement_values.h"
#include "finance/text_encoding.h"

namespace parcours::finance {
namespace {

std::string decodeFor(std::string_view bytes, CsvEncoding encoding) {
  switch (encoding) {
    case CsvEncoding::utf8: {
      const std::string_view body = stripUtf8Bom(bytes);
      if (const int line = firstInvalidUtf8Line(body); line != 0) {
        throw StatementError(line, "the file is not UTF-8 as its profile says");
      }
      return std::string(body);
    }
    case CsvEncoding::windows1252: return windows1252ToUtf8(bytes);
    case CsvEncoding::automatic: break;
  }
  return decodeStatementText(bytes);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool isExpectedHeader(const CsvRecord& record, const std::vector<std::string>& expected) {
  if (record.cells.size() < expected.size()) return false;
  for (std::size_t i = 0; i < record.cells.size(); ++i) {
    const std::string cell = lowercase(trimSpaces(record.cells[i]));
    if (i >= expected.size() ? !cell.empty() : cell != lowercase(expected[i])) return false;
  }
  return true;
}

std::string_view cellAt(const CsvRecord& record, std::optional<int> column) {
  if (!column || *column < 0 || static_cast<std::size_t>(*column) >= record.cells.size()) return {};
  return trimSpaces(record.cells[static_cast<std::size_t>(*column)]);
}

std::string joinCells(const CsvRecord& record, const std::vector<int>& columns, std::string_view separator) {
  std::string out;
  for (const int column : columns) {
    const std::string cell = collapseSpaces(cellAt(record, column));
    if (cell.empty()) continue;
    if (!out.empty()) out += separator;
    out += cell;
  }
  return out;
}

// Cells the record must have: the date and the amount columns.
std::size_t requiredColumns(const CsvProfile& profile) {
  int highest = profile.dateColumn;
  for (const std::optional<int> column : {profile.amountColumn, profile.withdrawalColumn, profile.depositColumn}) {
    if (column) highest = std::max(highest, *column);
  }
  return static_cast<std::size_t>(highest) + 1;
}

std::int64_t readAmount(std::string_view text, std::string_view what, const CsvProfile& profile, int line) {
  const std::optional<std::int64_t> cents = parseAmountCents(text, profile.decimalMark);
  if (!cents) throw StatementError(line, std::string(what) + " " + quotedExcerpt(text) + " is not an amount");
  if (*cents == 0) throw StatementError(line, "the amount is zero");
  return *cents;
}

std::int64_t signedAmount(const CsvRecord& record, const CsvProfile& profile) {
  if (profile.amountColumn) {
    const std::string_view text = cellAt(record, profile.amountColumn);
    if (text.empty() && !cellAt(record, profile.otherCurrencyColumn).empty()) {
      throw StatementError(record.line, "the line is in another currency; only Canadian dollars are imported");
    }
    if (text.empty()) throw StatementError(record.line, "the line has no amount");
    return readAmount(text, "the amount", profile, record.line);
  }
  const std::string_view withdrawal = cellAt(record, profile.withdrawalColumn);
  const std::string_view deposit = cellAt(record, profile.depositColumn);
  if (!withdrawal.empty() && !deposit.empty()) {
    throw StatementError(record.line, "the line has both a withdrawal and a deposit");
  }
  if (withdrawal.empty() && deposit.empty()) throw StatementError(record.line, "the line has no amount");
  if (!withdrawal.empty()) {
    const std::int64_t cents = readAmount(withdrawal, "the withdrawal", profile, record.line);
    return cents < 0 ? cents : -cents;
  }
  const std::int64_t cents = readAmount(deposit, "the deposit", profile, record.line);
  return cents < 0 ? -cents : cents;
}

std::string withoutLeadingZeros(std::string_view text) {
  const std::size_t first = text.find_first_not_of('0');
  if (first == std::string_view::npos) return text.empty() ? std::string{} : std::string("0");
  return std::string(text.substr(first));
}

StatementLine readLine(const CsvRecord& record, const CsvProfile& profile) {
  if (record.cells.size() < requiredColumns(profile)) {
    throw StatementError(record.line, "the line has " + std::to_string(record.cells.size()) +
                                          " columns where the profile needs at least " +
                                          std::to_string(requiredColumns(profile)));
  }
  StatementLine line;
  line.sourceLine = record.line;
  const std::string_view dateText = cellAt(record, profile.dateColumn);
  const std::optional<core::LocalDate> date = parseDateWithPattern(dateText, profile.dateFormat);
  if (!date) {
    throw StatementError(record.line, quotedExcerpt(dateText) + " is not a date in the format " + profile.dateFormat);
  }
  line.date = *date;
  line.amountCents = signedAmount(record, profile);
  line.account = joinCells(record, profile.accountColumns, "-");
  line.description = joinCells(record, profile.descriptionColumns, " ");
  line.reference = joinCells(record, profile.referenceColumns, " ");
  line.sequence = withoutLeadingZeros(cellAt(record, profile.sequenceColumn));
  return line;
}

}  // namespace

CsvProfile desjardinsProfile() {
  CsvProfile profile;
  profile.name = "desjardins";
  profile.format = "desjardins";
  profile.delimiter = ',';
  profile.dateColumn = 3;
  profile.dateFormat = "YYYY/MM/DD";
  profile.decimalMark = '.';
  profile.encoding = CsvEncoding::automatic;
  profile.withdrawalColumn = 7;
  profile.depositColumn = 8;
  profile.descriptionColumns = {5};
  profile.referenceColumns = {6};
  profile.accountColumns = {0, 1, 2};
  profile.sequenceColumn = 4;
  return profile;
}

CsvProfile rbcProfile() {
  CsvProfile profile;
  profile.name = "rbc";
  profile.format = "rbc";
  profile.delimiter = ',';
  profile.headerRows = 1;
  profile.expectedHeader = {
      "Account Type", "Account Number", "Transaction Date", "Cheque Number", "Description 1", "Description 2", "CAD$",
      "USD$"};
  profile.dateColumn = 2;
  profile.dateFormat = "M/D/YYYY";
  profile.decimalMark = '.';
  profile.encoding = CsvEncoding::automatic;
  profile.amountColumn = 6;
  profile.otherCurrencyColumn = 7;
  profile.descriptionColumns = {4, 5};
  profile.referenceColumns = {3};
  profile.accountColumns = {1};
  return profile;
}

ParsedStatement parseCsv(std::string_view bytes, const CsvProfile& profile) {
  const std::vector<CsvRecord> records = readCsvRecords(decodeFor(bytes, profile.encoding), profile.delimiter);
  const std::size_t headerRows = static_cast<std::size_t>(std::max(profile.headerRows, 0));
  if (!profile.expectedHeader.empty() &&
      (records.empty() || !isExpectedHeader(records.front(), profile.expectedHeader))) {
    throw StatementError(records.empty() ? 1 : records.front().line,
                         "the first line is not the " + profile.name + " header");
  }
  if (records.size() <= headerRows) {
    throw StatementError(records.empty() ? 1 : records.back().line + 1, "the file has no transaction line");
  }
  ParsedStatement statement;
  statement.format = profile.format;
  for (std::size_t i = headerRows; i < records.size(); ++i) statement.lines.push_back(readLine(records[i], profile));
  return statement;
}

}  // namespace parcours::finance
