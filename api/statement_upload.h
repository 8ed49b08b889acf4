#pragma once
// Reading an uploaded bank statement: the body's bytes and Content-Type,
// and for CSV the ?profile= among the configured bank profiles.

#include <vector>

#include "api/http_message.h"
#include "api/json_writer.h"
#include "finance/csv_profiles.h"
#include "finance/statement_line.h"

namespace parcours::api {

// The parsed statement; 422 with the line and the reason for a file that is
// not a statement, 422 on `profile` for an unknown profile, 400 when a CSV
// upload names none.
finance::ParsedStatement parseUpload(const Request& request, const std::vector<finance::CsvProfile>& profiles);

// One profile as GET /bank-profiles lists it.
void writeProfile(JsonWriter& w, const finance::CsvProfile& profile);

}  // namespace parcours::api
