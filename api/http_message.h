#pragma once
// The request and response values handlers work with. Handlers never see
// Poco's stream-based objects: the dispatcher reads the whole (size-limited)
// body first and writes the response with its Content-Length afterwards.

#include <map>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>
#include "identity/principal.h"

namespace Poco::Net {
class HTTPServerRequest;
}

namespace parcours::api {

struct Request {
  std::string method;
  std::string path;                           // decoded, without the query
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> params;  // from the route pattern
  std::string body;
  std::string requestId;        // the daemon's own, made for this request (logs, audit, X-Request-Id)
  std::string clientRequestId;  // the client's X-Request-Id when acceptable, else empty
  // The client: the TCP peer, or what a trusted proxy says it forwarded
  // (see api/client_origin.h). Used by the loopback rule and the throttle.
  std::string clientAddress;
  bool fromLoopback = false;
  bool https = false;                                 // a trusted proxy said the client used HTTPS
  std::string authorization;                          // the Authorization header, read by access guards
  std::string cookies;                                // the Cookie header (a page session), read by access guards
  std::string csrfToken;                              // the X-CSRF-Token header
  const Poco::Net::HTTPServerRequest* raw = nullptr;  // for headers
  // The body parsed once by the dispatcher when it is declared JSON
  // (Content-Type application/json or +json); empty otherwise.
  Poco::Dynamic::Var json;
  // The signed-in caller, set by the route's access guard.
  std::optional<identity::Principal> principal;
  bool viaSessionCookie = false;  // the principal came from the page session cookie

  // A header's value, empty when absent.
  std::string header(const std::string& name) const;
  // A path parameter declared in the route pattern (REQUIRES: declared).
  const std::string& param(const std::string& name) const { return params.at(name); }
  std::optional<std::string> queryValue(const std::string& name) const;
  // The body as one JSON object (parsed now if the dispatcher did not);
  // 400 when it is missing, malformed or not an object.
  Poco::JSON::Object::Ptr jsonObject();
};

struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, std::string body) {
    return Response{status, "application/json", std::move(body), {}};
  }
  static Response text(int status, std::string contentType, std::string body) {
    return Response{status, std::move(contentType), std::move(body), {}};
  }
};

}  // namespace parcours::api
