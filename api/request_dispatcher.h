#pragma once
// RequestDispatcher — what happens to one request once Poco has parsed its
// head: request ids, the client's origin (through trusted proxies), a
// size-limited body read before the deadline, routing, guards, the handler,
// problem+json for every failure, the headers every response carries
// (X-Request-Id, Cache-Control: no-store, X-Content-Type-Options: nosniff),
// metrics and one log line (method, route pattern, status, ms, ids — never
// a concrete path, query or body, which may hold personal data).

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <unordered_set>

#include "api/http_server.h"

namespace Poco {
class Logger;
namespace Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Net
}  // namespace Poco

namespace parcours::api {

class DeadlineSocketImpl;

class RequestDispatcher {
 public:
  // REQUIRES: all arguments outlive the dispatcher.
  RequestDispatcher(const Router& router, Metrics& metrics, const ServerOptions& options,
                    const std::atomic<bool>& draining);

  // Serves one request and writes its response; `socket` gets the answer's
  // own deadline before it is written. Returns whether the connection may
  // carry another request (its body was read in full, the client wants it,
  // and the server is not draining).
  bool serve(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out, DeadlineSocketImpl& socket);

  // A complete response (status line to body) with a problem+json body and
  // Connection: close, for refusals made before any request is parsed.
  static std::string rawProblem(int status, std::string_view detail);

 private:
  Response dispatch(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out, Request& request,
                    std::string& routeName, bool& keepAlive, std::chrono::steady_clock::time_point deadline);
  Response servePageFile(const Request& request, std::string& routeName) const;
  Response internalError(const Request& request, const std::string& what);
  // The method's metrics label: itself when known, else "other".
  std::string_view methodLabel(const std::string& method) const;

  const Router& router_;
  Metrics& metrics_;
  const ServerOptions& options_;
  const std::atomic<bool>& draining_;
  std::unordered_set<std::string> knownMethods_;  // standard ones and every routed one
  Poco::Logger& log_;
};

}  // namespace parcours::api
