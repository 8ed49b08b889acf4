#include "finance/statement_format.h"

#include <algorithm>
#include <cctype>

#include "finance/camt053_parser.h"
#include "finance/ofx_parser.h"
#include "finance/statement_values.h"

namespace parcours::finance {
namespace {

std::string mediaType(std::string_view contentType) {
  std::string type(trimSpaces(contentType.substr(0, contentType.find(';'))));
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

void requireAtMostMaxLines(std::string_view bytes) {
  int lines = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const bool lineEnd = bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'));
    if (lineEnd || i + 1 == bytes.size()) ++lines;
    if (lines > kMaxStatementLines) {
      throw StatementError(kMaxStatementLines + 1,
                           "the file has more than " + std::to_string(kMaxStatementLines) + " lines");
    }
  }
}

}  // namespace

ParsedStatement parseStatement(std::string_view bytes, std::string_view contentType, const CsvProfile* profile) {
  const std::string type = mediaType(contentType);
  const bool csv = type == "text/csv";
  const bool ofx = type == "application/x-ofx" || type == "application/ofx" || type == "application/vnd.intu.qfx" ||
                   type == "application/vnd.intu.qbo";
  const bool camt = type == "application/xml" || type == "text/xml";
  if (!csv && !ofx && !camt) {
    throw core::Error(core::ErrorCode::unprocessable,
                      "a statement is text/csv, application/x-ofx (QFX, QBO) or application/xml (camt.053), not " +
                          quotedExcerpt(type),
                      "Content-Type");
  }
  if (csv && profile == nullptr) {
    throw core::Error(core::ErrorCode::bad_request, "a CSV statement needs a bank profile", "profile");
  }
  requireAtMostMaxLines(bytes);
  if (csv) return parseCsv(bytes, *profile);
  if (ofx) return parseOfx(bytes);
  return parseCamt053(bytes);
}

}  // namespace parcours::finance
