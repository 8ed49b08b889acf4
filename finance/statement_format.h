#pragma once
// One entry point for every statement format, chosen by the upload's
// Content-Type (parameters such as "; charset=..." ignored, case ignored):
//   text/csv                                   → parseCsv with `profile`
//   application/x-ofx, application/ofx,
//   application/vnd.intu.qfx, application/vnd.intu.qbo → parseOfx
//   application/xml, text/xml                  → parseCamt053
// Throws:
// - core::Error(unprocessable, field "Content-Type") for any other type
//   (core has no 415);
// - core::Error(bad_request, field "profile") for text/csv without a profile;
// - StatementError(kMaxStatementLines + 1, ...) for a file of more than
//   kMaxStatementLines lines (LF, CRLF or CR each end one; a last line
//   without a line end counts), before any parsing;
// - whatever the chosen parser throws (StatementError for a file that is not
//   a statement). Nothing else escapes for any input bytes.

#include <string_view>

#include "finance/csv_profiles.h"
#include "finance/statement_line.h"

namespace parcours::finance {

inline constexpr int kMaxStatementLines = 100000;

ParsedStatement parseStatement(std::string_view bytes, std::string_view contentType, const CsvProfile* profile);

}  // namespace parcours::finance
