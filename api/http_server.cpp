#include "api/http_server.h"

#include <random>
#include <thread>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include "api/json.h"
#include "api/problem.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;

struct HttpServer::Shared {
  const Router& router;
  Metrics& metrics;
  const ServerOptions& options;
  std::atomic<bool> draining{false};
  Poco::Logger& log = Poco::Logger::get("parcours.http");
};

namespace {

bool acceptableRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

std::string newRequestId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  std::uint64_t a = random(), b = random();
  for (int i = 0; i < 16; ++i) {
    id[static_cast<std::size_t>(i)] = kHex[(a >> (4 * i)) & 0xf];
    id[static_cast<std::size_t>(16 + i)] = kHex[(b >> (4 * i)) & 0xf];
  }
  return id;
}

// Reads the whole body, refusing more than `limit` bytes. Returns false when
// the body is too large (the rest stays unread: the connection must close).
bool readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit, std::string& body) {
  const auto declared = request.getContentLength64();
  const bool chunked = request.getChunkedTransferEncoding();
  if (declared > static_cast<Poco::Int64>(limit)) return false;
  // Without Content-Length or chunking an HTTP/1.1 request has no body;
  // reading would wait for the client to close.
  if (!chunked && declared <= 0) return true;
  std::istream& in = request.stream();
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limit) return false;
  }
  return true;
}

class Dispatcher final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Dispatcher(HttpServer::Shared& shared) : shared_(shared) {}

  void handleRequest(Poco::Net::HTTPServerRequest& httpRequest, Poco::Net::HTTPServerResponse& httpResponse) override {
    const auto started = std::chrono::steady_clock::now();
    Request request;
    request.raw = &httpRequest;
    request.method = httpRequest.getMethod();
    const std::string clientId = httpRequest.get("X-Request-Id", "");
    request.requestId = acceptableRequestId(clientId) ? clientId : newRequestId();
    const auto& peer = httpRequest.clientAddress().host();
    request.fromLoopback = peer.isLoopback();
    request.clientAddress = peer.toString();
    request.authorization = httpRequest.get("Authorization", "");

    std::string routeName = "(unmatched)";
    bool keepAlive = httpRequest.getKeepAlive();
    Response response = dispatch(httpRequest, request, routeName, keepAlive);
    // Checked after the handler: a request that was in flight when the
    // drain began still closes its connection.
    keepAlive = keepAlive && !shared_.draining.load();
    write(httpResponse, response, request.requestId, keepAlive);

    const auto elapsed = std::chrono::steady_clock::now() - started;
    shared_.metrics.recordRequest(routeName, request.method, response.status, elapsed);
    if (shared_.log.information()) {
      const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
      char line[96];
      std::snprintf(line, sizeof line, "%d %.2fms", response.status, ms);
      shared_.log.information(request.method + " " + routeName + " " + line + " rid=" + request.requestId);
    }
  }

 private:
  Response dispatch(Poco::Net::HTTPServerRequest& httpRequest, Request& request, std::string& routeName,
                    bool& keepAlive) {
    try {
      if (!wellFormed(httpRequest)) {
        keepAlive = false;              // framing is in doubt: do not read another request from this peer
        request.method.assign(1, '-');  // never log what the peer sent
        throw Error(ErrorCode::bad_request, "malformed request line or Content-Length");
      }
      parseTarget(httpRequest.getURI(), request);
      const Router::Match match = shared_.router.match(request.method, request.path);
      if (!match.pattern.empty()) routeName = match.pattern;
      if (!readBody(httpRequest, shared_.options.maxBodyBytes, request.body)) {
        keepAlive = false;  // the unread rest of the body would corrupt the next request
        throw Error(ErrorCode::payload_too_large,
                    "request body exceeds " + std::to_string(shared_.options.maxBodyBytes) + " bytes");
      }
      if (!match.route) return refuse(match);
      request.params = match.params;
      if (match.route->guard) match.route->guard(request);  // who may ask comes before what they sent
      // A body declared JSON must be JSON, whatever the route; parsed once.
      if (!request.body.empty() && isJsonContentType(httpRequest.getContentType())) {
        request.json = parseJson(request.body);
      }
      return match.route->handler(request);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::internal) return internalError(request, e.what());
      if (e.code() == ErrorCode::unavailable) {
        shared_.log.warning("rid=" + request.requestId + " unavailable: " + e.what());
        return problemResponse(Error(ErrorCode::unavailable, "the database is unavailable; retry later"));
      }
      return problemResponse(e);
    } catch (const Poco::Exception& e) {
      return internalError(request, e.displayText());
    } catch (const std::exception& e) {
      return internalError(request, e.what());
    }
  }

  // Poco accepts any method and version text; we answer only HTTP/1.x with
  // an upper-case token method and a decimal Content-Length.
  static bool wellFormed(const Poco::Net::HTTPServerRequest& request) {
    const std::string& method = request.getMethod();
    if (method.empty() || method.size() > 20) return false;
    for (const char c : method) {
      if (c < 'A' || c > 'Z') return false;
    }
    const std::string& version = request.getVersion();
    if (version != Poco::Net::HTTPMessage::HTTP_1_1 && version != Poco::Net::HTTPMessage::HTTP_1_0) return false;
    if (request.has("Content-Length")) {
      const std::string& length = request.get("Content-Length");
      if (length.empty() || length.size() > 18) return false;
      for (const char c : length) {
        if (c < '0' || c > '9') return false;
      }
    }
    return true;
  }

  static void parseTarget(const std::string& target, Request& request) {
    try {
      const Poco::URI uri(target);
      request.path = uri.getPath();
      for (auto& [name, value] : uri.getQueryParameters()) request.query[name] = value;
    } catch (const Poco::Exception&) {
      throw Error(ErrorCode::bad_request, "malformed request target");
    }
  }

  static Response refuse(const Router::Match& match) {
    if (match.allowedMethods.empty()) throw Error(ErrorCode::not_found, "no such resource");
    std::string allow;
    for (const auto& m : match.allowedMethods) allow += (allow.empty() ? "" : ", ") + m;
    Response response = problemResponse(Error(ErrorCode::method_not_allowed, "allowed: " + allow));
    response.headers.emplace_back("Allow", allow);
    return response;
  }

  // A bug or a library failure: logged with the request id, never shown.
  Response internalError(const Request& request, const std::string& what) {
    shared_.log.error("rid=" + request.requestId + " internal error: " + what);
    return problemResponse(
        Error(ErrorCode::internal, "internal error; quote request id " + request.requestId + " when reporting it"));
  }

  static void write(Poco::Net::HTTPServerResponse& out, const Response& response, const std::string& requestId,
                    bool keepAlive) {
    out.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);  // never echo a client's version text
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    out.setContentType(response.contentType);
    out.set("X-Request-Id", requestId);
    for (const auto& [name, value] : response.headers) out.set(name, value);
    out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
    out.setKeepAlive(keepAlive);
    out.send().write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
  }

  HttpServer::Shared& shared_;
};

class DispatcherFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit DispatcherFactory(HttpServer::Shared& shared) : shared_(shared) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Dispatcher(shared_);
  }

 private:
  HttpServer::Shared& shared_;
};

}  // namespace

std::string Request::header(const std::string& name) const {
  return raw ? raw->get(name, "") : std::string();
}

Poco::JSON::Object::Ptr Request::jsonObject() {
  if (json.isEmpty()) return parseJsonObject(body);
  if (json.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw Error(ErrorCode::bad_request, "request body must be a JSON object");
  }
  return json.extract<Poco::JSON::Object::Ptr>();
}

std::optional<std::string> Request::queryValue(const std::string& name) const {
  const auto found = query.find(name);
  if (found == query.end()) return std::nullopt;
  return found->second;
}

HttpServer::HttpServer(const Router& router, Metrics& metrics, ServerOptions options)
    : router_(router), metrics_(metrics), options_(std::move(options)) {
  shared_.reset(new Shared{router_, metrics_, options_});
}

HttpServer::~HttpServer() {
  if (server_) server_->stopAll(true);
}

void HttpServer::start() {
  socket_ = std::make_unique<Poco::Net::ServerSocket>();
  Poco::Net::ServerSocket& socket = *socket_;
  try {
    socket.bind(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)), true);
    socket.listen(256);
  } catch (const Poco::Exception& e) {
    throw Error(ErrorCode::unavailable,
                "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + e.displayText());
  }
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.maxThreads);
  params->setMaxQueued(options_.maxQueued);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited
  params->setKeepAliveTimeout(Poco::Timespan(options_.keepAliveTimeout.count(), 0));
  params->setTimeout(Poco::Timespan(options_.receiveTimeout.count(), 0));
  params->setServerName("parcoursd");
  threads_ = std::make_unique<Poco::ThreadPool>(2, options_.maxThreads + 2, 60);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new DispatcherFactory(*shared_), *threads_, socket, params);
  server_->start();
}

int HttpServer::port() const {
  return server_ ? server_->port() : options_.port;
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  if (!server_) return;
  shared_->draining = true;
  // Stop accepting; each connection finishes the request it is in, answers
  // with Connection: close, and its socket is shut down (abortCurrent =
  // false). That call waits on every busy connection, so it runs aside while
  // this thread keeps the grace period.
  server_->stop();   // the acceptor stops (within its 250 ms poll) ...
  socket_->close();  // ... and new connections are refused, not left waiting
  std::thread gentle([this] { server_->stopAll(false); });
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (server_->currentConnections() > 0) {
    Poco::Logger::get("parcours.http")
        .warning(std::to_string(server_->currentConnections()) + " connection(s) cut after the grace period");
    server_->stopAll(true);
  }
  gentle.join();
  threads_->joinAll();
  server_.reset();
}

}  // namespace parcours::api
