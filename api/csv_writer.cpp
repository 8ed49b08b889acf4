#include "api/csv_writer.h"

#include "core/error.h"

namespace parcours::api {

namespace {

constexpr std::string_view kFormulaStarts = "=+-@\t\r";
constexpr std::string_view kNeedsQuotes = ",\"\r\n";

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// RFC 4180: quoted, with quotes doubled, when it holds a separator, a quote or a line break.
std::string quotedIfNeeded(std::string_view field) {
  if (field.find_first_of(kNeedsQuotes) == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string centsAsDecimal(std::int64_t cents) {
  // Unsigned so that the most negative cents still has a magnitude.
  const std::uint64_t magnitude =
      cents < 0 ? ~static_cast<std::uint64_t>(cents) + 1 : static_cast<std::uint64_t>(cents);
  const std::uint64_t fraction = magnitude % 100;
  std::string text = cents < 0 ? "-" : "";
  text.append(std::to_string(magnitude / 100)).append(fraction < 10 ? ".0" : ".").append(std::to_string(fraction));
  return text;
}

bool isPlainNumber(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  bool digits = false;
  while (i < text.size() && isDigit(text[i])) {
    digits = true;
    ++i;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && isDigit(text[i])) {
      digits = true;
      ++i;
    }
  }
  return digits && i == text.size();
}

std::string spreadsheetSafe(std::string_view text) {
  const bool formulaLike = !text.empty() && kFormulaStarts.find(text.front()) != std::string_view::npos;
  std::string cell;
  if (formulaLike && !isPlainNumber(text)) cell = "'";
  return cell.append(text);
}

CsvWriter& CsvWriter::header(std::initializer_list<std::string_view> names) {
  return header(std::vector<std::string>(names.begin(), names.end()));
}

CsvWriter& CsvWriter::header(const std::vector<std::string>& names) {
  if (columns_ != 0 || names.empty()) {
    throw core::Error(core::ErrorCode::internal, "CSV: one header, first, with at least one column");
  }
  columns_ = names.size();
  Row row(*this);
  for (const auto& name : names) row.text(name);
  return row.end();
}

CsvWriter::Row CsvWriter::row() {
  if (columns_ == 0) throw core::Error(core::ErrorCode::internal, "CSV: a row before the header");
  return Row(*this);
}

CsvWriter::Row& CsvWriter::Row::cell(std::string_view field) {
  if (cells_ == writer_.columns_) throw core::Error(core::ErrorCode::internal, "CSV: more cells than columns");
  if (cells_++ > 0) writer_.out_ += ',';
  writer_.out_ += field;
  return *this;
}

CsvWriter::Row& CsvWriter::Row::text(std::string_view value) {
  return cell(quotedIfNeeded(spreadsheetSafe(value)));
}

CsvWriter::Row& CsvWriter::Row::cents(std::int64_t cents) {
  return cell(centsAsDecimal(cents));
}

CsvWriter::Row& CsvWriter::Row::integer(std::int64_t value) {
  return cell(std::to_string(value));
}

CsvWriter::Row& CsvWriter::Row::date(core::LocalDate day) {
  return cell(core::formatDate(day));
}

CsvWriter::Row& CsvWriter::Row::empty() {
  return cell({});
}

CsvWriter& CsvWriter::Row::end() {
  if (cells_ != writer_.columns_) {
    throw core::Error(core::ErrorCode::internal, "CSV: a row of " + std::to_string(cells_) + " cells for " +
                                                     std::to_string(writer_.columns_) + " columns");
  }
  writer_.out_ += "\r\n";
  return writer_;
}

}  // namespace parcours::api
