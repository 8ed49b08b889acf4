#include "core/error.h"

#include <cstdio>

namespace parcours::core {

Error::Error(ErrorCode code, std::string message, std::string field)
    : std::runtime_error(std::move(message)), code_(code) {
  if (!field.empty()) fields_.push_back({std::move(field), what()});
}

Error& Error::addFieldError(std::string field, std::string message) {
  fields_.push_back({std::move(field), std::move(message)});
  return *this;
}

Error& Error::withMember(std::string name, std::string jsonValue) {
  members_[std::move(name)] = std::move(jsonValue);
  return *this;
}

namespace {
struct CodeInfo {
  int status;
  std::string_view title;
  std::string_view slug;
};

CodeInfo info(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::bad_request: return {400, "Bad Request", "bad-request"};
    case ErrorCode::unauthorized: return {401, "Unauthorized", "unauthorized"};
    case ErrorCode::forbidden: return {403, "Forbidden", "forbidden"};
    case ErrorCode::not_found: return {404, "Not Found", "not-found"};
    case ErrorCode::method_not_allowed: return {405, "Method Not Allowed", "method-not-allowed"};
    case ErrorCode::conflict: return {409, "Conflict", "conflict"};
    case ErrorCode::payload_too_large: return {413, "Payload Too Large", "payload-too-large"};
    case ErrorCode::unprocessable: return {422, "Unprocessable Content", "unprocessable"};
    case ErrorCode::too_many_requests: return {429, "Too Many Requests", "too-many-requests"};
    case ErrorCode::unavailable: return {503, "Service Unavailable", "unavailable"};
    case ErrorCode::internal: break;
  }
  return {500, "Internal Server Error", "internal"};
}
}  // namespace

int httpStatus(ErrorCode code) noexcept {
  return info(code).status;
}
std::string_view errorTitle(ErrorCode code) noexcept {
  return info(code).title;
}
std::string_view errorSlug(ErrorCode code) noexcept {
  return info(code).slug;
}

std::string jsonQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace parcours::core
