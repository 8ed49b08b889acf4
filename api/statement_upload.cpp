#include "api/statement_upload.h"

#include "finance/statement_format.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;

finance::ParsedStatement parseUpload(const Request& request, const std::vector<finance::CsvProfile>& profiles) {
  const finance::CsvProfile* profile = nullptr;
  if (const auto name = request.queryValue("profile")) {
    for (const auto& p : profiles) {
      if (p.name == *name) profile = &p;
    }
    if (profile == nullptr) throw Error(ErrorCode::unprocessable, "no such bank profile", "profile");
  }
  if (request.body.empty()) throw Error(ErrorCode::unprocessable, "the file is empty: not a statement");
  return finance::parseStatement(request.body, request.header("Content-Type"), profile);
}

void writeProfile(JsonWriter& w, const finance::CsvProfile& p) {
  const bool builtIn = p.name == "desjardins" || p.name == "rbc";
  w.beginObject()
      .field("name", p.name)
      .field("kind", builtIn ? "bank" : "generic")
      .field("format", p.format)
      .field("delimiter", std::string(1, p.delimiter))
      .field("date_format", p.dateFormat)
      .field("decimal_mark", std::string(1, p.decimalMark))
      .field("encoding", p.encoding == finance::CsvEncoding::utf8          ? "utf-8"
                         : p.encoding == finance::CsvEncoding::windows1252 ? "windows-1252"
                                                                            : "auto")
      .field("header_rows", p.headerRows)
      .endObject();
}

}  // namespace parcours::api
