#include "api/problem.h"

namespace parcours::api {

Response problemResponse(const core::Error& error) {
  using core::jsonQuote;
  const int status = core::httpStatus(error.code());
  // Built by hand: the extra members are already JSON text.
  // A "type" member (already JSON) names a more specific problem than the status.
  const auto type = error.members().find("type");
  std::string body = "{\"type\":";
  body += type != error.members().end() ? type->second
                                        : jsonQuote("/problems/" + std::string(core::errorSlug(error.code())));
  body += ",\"title\":" + jsonQuote(core::errorTitle(error.code()));
  body += ",\"status\":" + std::to_string(status);
  body += ",\"detail\":" + jsonQuote(error.what());
  body += ",\"errors\":[";
  bool first = true;
  for (const auto& fieldError : error.fieldErrors()) {
    if (!first) body += ',';
    first = false;
    body += "{\"field\":" + jsonQuote(fieldError.field) + ",\"message\":" + jsonQuote(fieldError.message) + "}";
  }
  body += ']';
  for (const auto& [name, json] : error.members()) {
    if (name == "type") continue;
    body += ',' + jsonQuote(name) + ':' + json;
  }
  body += '}';
  return Response{status, "application/problem+json", std::move(body), {}};
}

}  // namespace parcours::api
