#include "finance/csv_reader.h"

#include "core/error.h"
#include "finance/statement_line.h"

namespace parcours::finance {
namespace {

bool isBlank(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    if (cell.find_first_not_of(" \t") != std::string::npos) return false;
  }
  return true;
}

// Reads records one character at a time, counting lines as it goes.
class CsvScanner {
 public:
  CsvScanner(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  std::vector<CsvRecord> records() {
    std::vector<CsvRecord> out;
    while (at_ < text_.size()) {
      CsvRecord record = readRecord();
      if (!isBlank(record.cells)) out.push_back(std::move(record));
    }
    return out;
  }

 private:
  CsvRecord readRecord() {
    CsvRecord record{line_, {}};
    while (true) {
      record.cells.push_back(readField());
      if (at_ >= text_.size()) return record;
      if (text_[at_] == delimiter_) {
        ++at_;
        continue;
      }
      consumeLineEnd();
      return record;
    }
  }

  std::string readField() {
    std::string field;
    if (at_ < text_.size() && text_[at_] == '"') readQuoted(field);
    while (at_ < text_.size() && text_[at_] != delimiter_ && !isLineEnd(text_[at_])) field += text_[at_++];
    return field;
  }

  void readQuoted(std::string& field) {
    const int startLine = line_;
    ++at_;
    while (true) {
      if (at_ >= text_.size()) throw StatementError(startLine, "a quoted field is never closed");
      const char c = text_[at_];
      if (c == '"') {
        if (at_ + 1 < text_.size() && text_[at_ + 1] == '"') {
          field += '"';
          at_ += 2;
          continue;
        }
        ++at_;
        return;
      }
      if (isLineEnd(c)) {
        const std::size_t before = at_;
        consumeLineEnd();
        field.append(text_.substr(before, at_ - before));
        continue;
      }
      field += c;
      ++at_;
    }
  }

  static bool isLineEnd(char c) { return c == '\n' || c == '\r'; }

  // REQUIRES: text_[at_] is CR or LF.
  void consumeLineEnd() {
    if (text_[at_] == '\r' && at_ + 1 < text_.size() && text_[at_ + 1] == '\n') ++at_;
    ++at_;
    ++line_;
  }

  std::string_view text_;
  char delimiter_;
  std::size_t at_ = 0;
  int line_ = 1;
};

}  // namespace

std::vector<CsvRecord> readCsvRecords(std::string_view text, char delimiter) {
  if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
    throw core::Error(core::ErrorCode::internal, "readCsvRecords: a delimiter cannot be a quote or a line end");
  }
  return CsvScanner(text, delimiter).records();
}

}  // namespace parcours::finance
