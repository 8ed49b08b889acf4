#include "api/request_dispatcher.h"

#include <cstdio>
#include <random>

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include "api/deadline_socket.h"
#include "api/json.h"
#include "api/problem.h"
#include "api/web_site.h"
#include "core/error.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;

namespace {

// Methods RFC 9110 defines, plus PATCH: a route may not serve them (405),
// but they are methods; anything else is not one we implement (501).
constexpr const char* kStandardMethods[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                            "CONNECT", "OPTIONS", "TRACE", "PATCH"};

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

// A problem for a status that core::ErrorCode has no name for.
Response problemOf(int status, std::string_view slug, std::string_view title, const std::string& detail) {
  using core::jsonQuote;
  std::string body = "{\"type\":" + jsonQuote("/problems/" + std::string(slug)) + ",\"title\":" + jsonQuote(title) +
                     ",\"status\":" + std::to_string(status) + ",\"detail\":" + jsonQuote(detail) + ",\"errors\":[]}";
  return Response{status, "application/problem+json", std::move(body), {}};
}

// Every value of a header that may be repeated, joined by commas.
std::string joinedHeader(const Poco::Net::HTTPServerRequest& request, const std::string& name) {
  std::string joined;
  for (auto it = request.find(name); it != request.end() && Poco::icompare(it->first, name) == 0; ++it) {
    if (!joined.empty()) joined += ',';
    joined += it->second;
  }
  return joined;
}

// Every Cookie header (HTTP/2 proxies may split them) as one "a=1; b=2".
std::string joinedCookies(const Poco::Net::HTTPServerRequest& request) {
  std::string joined;
  for (auto it = request.find("Cookie"); it != request.end() && Poco::icompare(it->first, "Cookie") == 0; ++it) {
    if (!joined.empty()) joined += "; ";
    joined += it->second;
  }
  return joined;
}

// Reads the whole body, refusing more than `limit` bytes. Returns false when
// the body is too large (the rest stays unread: the connection must close).
bool readBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, std::size_t limit,
              std::string& body) {
  const auto declared = request.getContentLength64();
  const bool chunked = request.getChunkedTransferEncoding();
  if (declared > static_cast<Poco::Int64>(limit)) return false;
  // Without Content-Length or chunking an HTTP/1.1 request has no body;
  // reading would wait for the client to close.
  if (!chunked && declared <= 0) return true;
  if (request.getExpectContinue()) response.sendContinue();
  std::istream& in = request.stream();
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limit) return false;
  }
  if (in.bad()) throw Poco::Net::NetException("request body unreadable");  // Poco's stream swallowed the cause
  return true;
}

bool declaresBody(const Poco::Net::HTTPServerRequest& request) {
  try {
    return request.getChunkedTransferEncoding() || request.getContentLength64() > 0;
  } catch (const Poco::Exception&) {
    return true;  // an unreadable Content-Length: assume the worst
  }
}

// Poco accepts any method and version text; we answer only HTTP/1.x with
// an upper-case token method and a decimal Content-Length.
bool wellFormed(const Poco::Net::HTTPServerRequest& request) {
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

void parseTarget(const std::string& target, Request& request) {
  try {
    const Poco::URI uri(target);
    request.path = uri.getPath();
    for (auto& [name, value] : uri.getQueryParameters()) request.query[name] = value;
  } catch (const Poco::Exception&) {
    throw Error(ErrorCode::bad_request, "malformed request target");
  }
}

Response refuse(const Router::Match& match) {
  if (match.allowedMethods.empty()) throw Error(ErrorCode::not_found, "no such resource");
  std::string allow;
  for (const auto& m : match.allowedMethods) allow += (allow.empty() ? "" : ", ") + m;
  Response response = problemResponse(Error(ErrorCode::method_not_allowed, "allowed: " + allow));
  response.headers.emplace_back("Allow", allow);
  return response;
}

void write(Poco::Net::HTTPServerResponse& out, const Response& response, const Request& request, bool keepAlive) {
  out.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);  // never echo a client's version text
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
  out.setDate(Poco::Timestamp());
  out.setContentType(response.contentType);
  out.set("X-Request-Id", request.requestId);
  if (!request.clientRequestId.empty()) out.set("X-Client-Request-Id", request.clientRequestId);
  // Answers may carry personal data: no cache keeps them, no browser
  // second-guesses their type. A route may set a stricter Cache-Control.
  out.set("Cache-Control", "no-store");
  out.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : response.headers) out.set(name, value);
  // A 304 has no body, and a Content-Length would have to be the full one's.
  if (response.status != 304) out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
  out.setKeepAlive(keepAlive);
  out.send().write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
}

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

RequestDispatcher::RequestDispatcher(const Router& router, Metrics& metrics, const ServerOptions& options,
                                     const std::atomic<bool>& draining)
    : router_(router),
      metrics_(metrics),
      options_(options),
      draining_(draining),
      log_(Poco::Logger::get("parcours.http")) {
  for (const char* method : kStandardMethods) knownMethods_.insert(method);
  for (const Route& route : router_.routes()) knownMethods_.insert(route.method);
}

std::string_view RequestDispatcher::methodLabel(const std::string& method) const {
  return knownMethods_.count(method) ? std::string_view(method) : std::string_view("other");
}

bool RequestDispatcher::serve(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out,
                              DeadlineSocketImpl& socket) {
  const auto started = std::chrono::steady_clock::now();
  Request request;
  request.raw = &in;
  request.method = in.getMethod();
  request.requestId = newRequestId();
  if (const std::string clientId = in.get("X-Request-Id", ""); acceptableRequestId(clientId)) {
    request.clientRequestId = clientId;
  }
  const ClientOrigin origin = clientOrigin(in.clientAddress().host(), joinedHeader(in, "X-Forwarded-For"),
                                           joinedHeader(in, "X-Forwarded-Proto"), options_.trustedProxies);
  request.fromLoopback = origin.address.isLoopback();
  request.clientAddress = origin.address.toString();
  request.https = origin.https;
  request.authorization = in.get("Authorization", "");
  request.cookies = joinedCookies(in);
  request.csrfToken = in.get("X-CSRF-Token", "");

  std::string routeName = "(unmatched)";
  bool keepAlive = in.getKeepAlive();
  Response response = dispatch(in, out, request, routeName, keepAlive, socket.deadline());
  // Checked after the handler: a request that was in flight when the
  // drain began still closes its connection.
  keepAlive = keepAlive && !draining_.load();
  socket.setDeadline(std::chrono::steady_clock::now() + options_.requestDeadline);
  write(out, response, request, keepAlive);

  const auto elapsed = std::chrono::steady_clock::now() - started;
  metrics_.recordRequest(routeName, methodLabel(request.method), response.status, elapsed);
  if (log_.information()) {
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    char line[96];
    std::snprintf(line, sizeof line, "%d %.2fms", response.status, ms);
    std::string text =
        std::string(methodLabel(request.method)) + " " + routeName + " " + line + " rid=" + request.requestId;
    if (!request.clientRequestId.empty()) text += " client_rid=" + request.clientRequestId;
    log_.information(text);
  }
  return keepAlive;
}

Response RequestDispatcher::dispatch(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out,
                                     Request& request, std::string& routeName, bool& keepAlive,
                                     std::chrono::steady_clock::time_point deadline) {
  const auto timedOut = [this] {
    return problemOf(408, "request_timeout", "Request Timeout",
                     "the request did not arrive within " + std::to_string(options_.requestDeadline.count()) + " s");
  };
  bool bodyRead = false;
  // Whatever happens, a body left unread would be taken for the next request.
  struct CloseUnlessRead {
    const bool& read;
    bool& keepAlive;
    bool hasBody;
    ~CloseUnlessRead() {
      if (hasBody && !read) keepAlive = false;
    }
  } guard{bodyRead, keepAlive, declaresBody(in)};
  try {
    if (!wellFormed(in)) {
      keepAlive = false;              // framing is in doubt: do not read another request from this peer
      request.method.assign(1, '-');  // never log what the peer sent
      throw Error(ErrorCode::bad_request, "malformed request line or Content-Length");
    }
    parseTarget(in.getURI(), request);
    const Router::Match match = router_.match(request.method, request.path);
    if (!match.pattern.empty()) routeName = match.pattern;
    if (!readBody(in, out, options_.maxBodyBytes, request.body)) {
      keepAlive = false;  // the unread rest of the body would corrupt the next request
      throw Error(ErrorCode::payload_too_large,
                  "request body exceeds " + std::to_string(options_.maxBodyBytes) + " bytes");
    }
    bodyRead = true;
    if (!knownMethods_.count(request.method)) {
      return problemOf(501, "not_implemented", "Not Implemented", "this server does not implement that method");
    }
    if (!match.route) {
      if (match.allowedMethods.empty() && options_.site) return servePageFile(request, routeName);
      return refuse(match);
    }
    request.params = match.params;
    if (match.route->guard) match.route->guard(request);  // who may ask comes before what they sent
    // A body declared JSON must be JSON, whatever the route; parsed once.
    if (!request.body.empty() && isJsonContentType(in.getContentType())) {
      request.json = parseJson(request.body);
    }
    return match.route->handler(request);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::internal) return internalError(request, e.what());
    if (e.code() == ErrorCode::unavailable) {
      log_.warning("rid=" + request.requestId + " unavailable: " + e.what());
      return problemResponse(Error(ErrorCode::unavailable, "the database is unavailable; retry later"));
    }
    return problemResponse(e);
  } catch (const Poco::TimeoutException&) {
    keepAlive = false;
    return timedOut();
  } catch (const Poco::Net::NetException&) {
    keepAlive = false;
    if (std::chrono::steady_clock::now() >= deadline) return timedOut();
    // the connection broke while the body was read: nobody reads the answer
    return problemOf(400, "bad_request", "Bad Request", "the request body could not be read");
  } catch (const Poco::Exception& e) {
    return internalError(request, e.displayText());
  } catch (const std::exception& e) {
    return internalError(request, e.what());
  }
}

// The pages' files, outside the route table: the log names the kind, never
// the path.
Response RequestDispatcher::servePageFile(const Request& request, std::string& routeName) const {
  const WebSite::Kind kind = WebSite::kindOf(request.path);
  if (kind == WebSite::Kind::none) throw Error(ErrorCode::not_found, "no such resource");
  routeName = kind == WebSite::Kind::page ? "(page)" : "(asset)";
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = problemResponse(Error(ErrorCode::method_not_allowed, "allowed: GET, HEAD"));
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  auto answer = options_.site->serve(request);
  if (!answer) throw Error(ErrorCode::not_found, "no such resource");
  return std::move(*answer);
}

// A bug or a library failure: logged with the request id, never shown.
Response RequestDispatcher::internalError(const Request& request, const std::string& what) {
  log_.error("rid=" + request.requestId + " internal error: " + what);
  return problemResponse(
      Error(ErrorCode::internal, "internal error; quote request id " + request.requestId + " when reporting it"));
}

std::string RequestDispatcher::rawProblem(int status, std::string_view detail) {
  const char* reason = status == 400   ? "Bad Request"
                       : status == 408 ? "Request Timeout"
                       : status == 431 ? "Request Header Fields Too Large"
                                       : "Service Unavailable";
  const char* slug = status == 400   ? "bad_request"
                     : status == 408 ? "request_timeout"
                     : status == 431 ? "request_header_fields_too_large"
                                     : "unavailable";
  const Response problem = problemOf(status, slug, reason, std::string(detail));
  std::string raw =
      "HTTP/1.1 " + std::to_string(status) + " " + reason +
      "\r\nContent-Type: application/problem+json\r\nContent-Length: " + std::to_string(problem.body.size()) +
      "\r\nX-Request-Id: " + newRequestId() +
      "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n";
  if (status == 503) raw += "Retry-After: 1\r\n";
  return raw + "\r\n" + problem.body;
}

}  // namespace parcours::api
