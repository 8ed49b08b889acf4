#pragma once
// core::Error — the one exception type for expected failures (bad input,
// conflicts, missing records, an unavailable database). The api module maps
// its code to an HTTP status and an application/problem+json body; nothing
// else crosses a handler boundary.

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::core {

enum class ErrorCode {
  bad_request,         // 400 malformed JSON or parameters
  unauthorized,        // 401 no or bad credentials
  forbidden,           // 403 authenticated but not allowed
  not_found,           // 404 unknown, or private existence
  method_not_allowed,  // 405 known path, wrong method
  conflict,            // 409 slot taken, illegal transition, key reuse
  payload_too_large,   // 413 body over the limit
  unprocessable,       // 422 well-formed but invalid
  too_many_requests,   // 429 throttled
  unavailable,         // 503 database down
  internal,            // 500 a bug; never for bad input
};

struct FieldError {
  std::string field;
  std::string message;
};

class Error : public std::runtime_error {
 public:
  // `field` names the offending input field, when there is one.
  Error(ErrorCode code, std::string message, std::string field = {});

  ErrorCode code() const noexcept { return code_; }
  // All field errors: the one given to the constructor plus any added.
  const std::vector<FieldError>& fieldErrors() const noexcept { return fields_; }
  // Extra problem+json members (e.g. "current_status"), each value already
  // JSON text so that core stays free of any JSON library.
  const std::map<std::string, std::string>& members() const noexcept { return members_; }

  Error& addFieldError(std::string field, std::string message);
  Error& withMember(std::string name, std::string jsonValue);

 private:
  ErrorCode code_;
  std::vector<FieldError> fields_;
  std::map<std::string, std::string> members_;
};

int httpStatus(ErrorCode code) noexcept;
// Short human title of the status ("Conflict").
std::string_view errorTitle(ErrorCode code) noexcept;
// Stable machine name ("conflict"), used in the problem "type".
std::string_view errorSlug(ErrorCode code) noexcept;

// Quotes a string as a JSON string literal (for withMember values).
std::string jsonQuote(std::string_view text);

}  // namespace parcours::core
