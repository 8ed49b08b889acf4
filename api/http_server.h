#pragma once
// HttpServer — Poco's HTTPServer with Parcours' one request dispatcher:
// request id, size-limited body, routing, guards, handler, problem+json for
// every failure, Content-Length and keep-alive on every response, metrics
// and one log line per request (method, route pattern, status, ms, id —
// never a concrete path, query or body, which may hold personal data).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "api/metrics.h"
#include "api/router.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
class ServerSocket;
}  // namespace Net
}  // namespace Poco

namespace parcours::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;      // 0 picks a free port (see HttpServer::port)
  int maxThreads = 64;  // also the number of keep-alive connections served at once
  int maxQueued = 256;  // accepted connections waiting for a thread
  std::chrono::seconds keepAliveTimeout{15};
  std::chrono::seconds receiveTimeout{30};
  std::size_t maxBodyBytes = 1024 * 1024;
};

class HttpServer {
 public:
  // REQUIRES: router and metrics outlive the server.
  HttpServer(const Router& router, Metrics& metrics, ServerOptions options);
  ~HttpServer();

  // Binds and starts serving; throws core::Error(unavailable) when the
  // address cannot be bound.
  void start();
  // The bound port (useful with port 0).
  int port() const;
  // Stops accepting connections, lets requests in flight finish and answer
  // (with Connection: close), then waits up to `grace` for connections to end.
  void stop(std::chrono::milliseconds grace);

  struct Shared;  // state every dispatcher reads (defined in the .cpp)

 private:
  const Router& router_;
  Metrics& metrics_;
  ServerOptions options_;
  std::unique_ptr<Shared> shared_;
  std::unique_ptr<Poco::ThreadPool> threads_;
  std::unique_ptr<Poco::Net::ServerSocket> socket_;  // shared with the server; closed on drain
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace parcours::api
