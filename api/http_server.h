#pragma once
// HttpServer — Parcours' HTTP/1.1 server. One reactor thread accepts
// connections and holds every connection that is not in a request: new ones
// and idle keep-alive ones. It peeks at their bytes without consuming them,
// and only when a request's whole head has arrived does it hand the
// connection to a worker, which serves that ONE request (Poco parses the
// head and frames the body; RequestDispatcher does the rest) and gives the
// connection back. So a slow or idle client costs a descriptor, never a
// worker, and:
//   - a request's head and body must arrive within `requestDeadline` of its
//     first byte (of the accept for a new connection), else it is closed;
//   - an idle keep-alive connection closes after `keepAliveTimeout`, or
//     sooner when `maxConnections` are open and a new one arrives;
//   - one client address may hold at most `maxConnectionsPerAddress`
//     connections (trusted proxies are exempt: every client comes through them);
//   - `maxQueued` complete requests may wait for a worker; more get 503.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "api/client_origin.h"
#include "api/metrics.h"
#include "api/router.h"

namespace parcours::api {

class WebSite;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;      // 0 picks a free port (see HttpServer::port)
  int maxThreads = 64;  // workers: requests served at once
  int maxQueued = 256;  // complete requests waiting for a worker
  int maxConnections = 1024;
  int maxConnectionsPerAddress = 64;
  std::chrono::seconds keepAliveTimeout{15};
  std::chrono::seconds requestDeadline{15};  // head + body; the answer gets as long again
  std::size_t maxBodyBytes = 1024 * 1024;
  std::size_t maxHeadBytes = 64 * 1024;
  TrustedProxies trustedProxies;
  // The pages' files (api/web_site.h), asked for GET and HEAD of any path no
  // route matches; none: such paths are 404.
  std::shared_ptr<const WebSite> site;
};

class HttpServer {
 public:
  // REQUIRES: router and metrics outlive the server.
  HttpServer(const Router& router, Metrics& metrics, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; throws core::Error(unavailable) when the
  // address cannot be bound.
  void start();
  // The bound port (useful with port 0).
  int port() const;
  // Stops accepting connections (new ones are refused), lets requests in
  // flight finish and answer (with Connection: close), closes idle
  // connections, then waits up to `grace` for the rest before cutting them.
  void stop(std::chrono::milliseconds grace);

  class Engine;  // the reactor and the workers (defined in the .cpp)

 private:
  const Router& router_;
  Metrics& metrics_;
  ServerOptions options_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace parcours::api
