#include "api/http_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include <Poco/Buffer.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "api/deadline_socket.h"
#include "api/head_scan.h"
#include "api/request_dispatcher.h"
#include "core/error.h"

namespace parcours::api {

namespace {

using Clock = std::chrono::steady_clock;

Poco::Logger& log() {
  return Poco::Logger::get("parcours.http");
}

// One accepted connection. The reactor owns it while it waits for a request
// head; a worker owns it while it serves one request.
struct Connection {
  Poco::Net::StreamSocket socket;  // owns `impl`
  DeadlineSocketImpl* impl = nullptr;
  int fd = -1;
  std::string peer;    // the TCP peer's address, for the per-address cap
  bool capped = true;  // false for a trusted proxy
  bool idle = false;   // keep-alive, no byte of the next request yet
  Clock::time_point idleSince;
  Clock::time_point deadline;  // closed when its head is not complete by then
  bool keepAlive = false;      // the worker's verdict after its request
};

// Sends a canned answer without waiting: the peer gets it if its socket
// buffer has room, which it has for a fresh connection.
void refuseWith(int fd, const std::string& answer) {
  [[maybe_unused]] const auto sent = ::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

}  // namespace

class HttpServer::Engine {
 public:
  Engine(const Router& router, Metrics& metrics, const ServerOptions& options)
      : options_(options), metrics_(metrics), dispatcher_(router, metrics, options, draining_) {
    params_ = new Poco::Net::HTTPServerParams;
    params_->setKeepAlive(true);
    params_->setMaxKeepAliveRequests(0);
    params_->setTimeout(Poco::Timespan(options_.requestDeadline.count(), 0));
  }

  ~Engine() {
    if (reactor_.joinable()) stop(std::chrono::milliseconds(0));
    if (wakeFd_ >= 0) ::close(wakeFd_);
    if (epollFd_ >= 0) ::close(epollFd_);
  }

  void start();
  int port() const { return port_; }
  void stop(std::chrono::milliseconds grace);

 private:
  // Reactor thread.
  void runReactor();
  void acceptAll();
  void admit(int fd, const Poco::Net::SocketAddress& peer);
  void watch(std::unique_ptr<Connection> connection);
  void examine(int fd, bool hungUp = false);
  void handOff(std::unique_ptr<Connection> connection);
  void adoptReturned();
  void sweep();
  void close(int fd);
  void closeListener();
  // Closes the keep-alive connection idle the longest (of `peer` only, when
  // given), to make room; false when none is idle.
  bool evictIdlest(const std::string* peer = nullptr);
  // Worker threads.
  void runWorker();
  void serveOne(Connection& connection);
  bool nextHeadArrives(Connection& connection);
  void giveBack(std::unique_ptr<Connection> connection);
  void wake();

  const ServerOptions& options_;
  Metrics& metrics_;
  std::atomic<bool> draining_{false};
  RequestDispatcher dispatcher_;
  Poco::Net::HTTPServerParams::Ptr params_;

  Poco::Net::ServerSocket listener_;
  int listenFd_ = -1;
  int port_ = 0;
  int epollFd_ = -1;
  int wakeFd_ = -1;
  std::thread reactor_;
  std::vector<std::thread> workers_;

  // Reactor thread only.
  std::unordered_map<int, std::unique_ptr<Connection>> waiting_;
  std::unordered_map<std::string, int> perAddress_;
  std::vector<char> peekBuffer_;
  bool listenerClosed_ = false;
  bool outOfDescriptors_ = false;

  std::atomic<int> open_{0};  // every connection not yet closed
  std::atomic<bool> stopReactor_{false};
  std::atomic<bool> abort_{false};
  std::atomic<bool> listenerGone_{false};

  std::mutex readyMutex_;  // connections with a complete head, for the workers
  std::condition_variable readyChanged_;
  std::deque<std::unique_ptr<Connection>> ready_;
  bool stopWorkers_ = false;
  std::atomic<int> queued_{0};  // ready_.size(), read without the lock

  std::mutex returnedMutex_;  // connections the workers are done with
  std::deque<std::unique_ptr<Connection>> returned_;

  std::mutex busyMutex_;  // descriptors in a worker's hands, cut on a forced stop
  std::set<int> busy_;
};

void HttpServer::Engine::start() {
  try {
    listener_.bind(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)), true);
    listener_.listen(256);
  } catch (const Poco::Exception& e) {
    throw core::Error(core::ErrorCode::unavailable, "cannot listen on " + options_.host + ":" +
                                                        std::to_string(options_.port) + ": " + e.displayText());
  }
  listener_.setBlocking(false);
  listenFd_ = listener_.impl()->sockfd();
  port_ = listener_.address().port();
  epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epollFd_ < 0 || wakeFd_ < 0) throw core::Error(core::ErrorCode::unavailable, "cannot create the event loop");
  epoll_event listen{};
  listen.events = EPOLLIN | EPOLLET;  // after EMFILE the sweep retries, not a busy loop
  listen.data.fd = listenFd_;
  epoll_event wakeEvent{};
  wakeEvent.events = EPOLLIN;
  wakeEvent.data.fd = wakeFd_;
  ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, listenFd_, &listen);
  ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &wakeEvent);
  peekBuffer_.resize(options_.maxHeadBytes);
  for (int i = 0; i < options_.maxThreads; ++i) workers_.emplace_back([this] { runWorker(); });
  reactor_ = std::thread([this] { runReactor(); });
}

void HttpServer::Engine::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(wakeFd_, &one, sizeof one);
}

// ---- reactor ---------------------------------------------------------------

void HttpServer::Engine::runReactor() {
  std::vector<epoll_event> events(256);
  auto nextSweep = Clock::now();
  while (!stopReactor_.load()) {
    const int n = ::epoll_wait(epollFd_, events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == listenFd_) {
        acceptAll();
      } else if (fd == wakeFd_) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto r = ::read(wakeFd_, &count, sizeof count);
      } else if (waiting_.count(fd)) {
        const auto flags = events[static_cast<std::size_t>(i)].events;
        examine(fd, (flags & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
      }
    }
    adoptReturned();
    if (draining_.load() && !listenerClosed_) closeListener();
    if (Clock::now() >= nextSweep) {
      sweep();
      nextSweep = Clock::now() + std::chrono::milliseconds(100);
    }
  }
  while (!waiting_.empty()) close(waiting_.begin()->first);
}

void HttpServer::Engine::closeListener() {
  ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, listenFd_, nullptr);
  listener_.close();  // new connections are refused, not left waiting
  listenerClosed_ = true;
  listenerGone_ = true;
}

void HttpServer::Engine::acceptAll() {
  while (!listenerClosed_) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int fd = ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if ((errno == EMFILE || errno == ENFILE) && !outOfDescriptors_) {
        log().warning("out of file descriptors: connections wait in the backlog");
      }
      outOfDescriptors_ = errno == EMFILE || errno == ENFILE;
      return;  // EAGAIN: nothing more to accept
    }
    admit(fd, Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&address), length));
  }
}

void HttpServer::Engine::admit(int fd, const Poco::Net::SocketAddress& peer) {
  auto connection = std::make_unique<Connection>();
  connection->impl = new DeadlineSocketImpl(fd);
  connection->socket = Poco::Net::StreamSocket(connection->impl);  // owns the descriptor from here on
  connection->fd = fd;
  connection->peer = peer.host().toString();
  connection->capped = !options_.trustedProxies.contains(peer.host());
  const auto atCap = [&] {
    const auto held = perAddress_.find(connection->peer);
    return connection->capped && held != perAddress_.end() && held->second >= options_.maxConnectionsPerAddress;
  };
  // An address at its cap first gets back what the workers have finished
  // with (a client that opens a connection per request has closed those),
  // then gives up its own longest-idle keep-alive connection: only
  // connections busy with a request count against it.
  if (atCap()) adoptReturned();
  if (atCap() && !evictIdlest(&connection->peer)) {
    metrics_.recordRefusal(Metrics::Refusal::per_address_cap);
    refuseWith(fd, RequestDispatcher::rawProblem(503, "too many connections from your address"));
    return;  // the descriptor closes with `connection`
  }
  if (open_.load() >= options_.maxConnections && !evictIdlest()) {
    metrics_.recordRefusal(Metrics::Refusal::overload);
    refuseWith(fd, RequestDispatcher::rawProblem(503, "the server has too many connections; retry later"));
    return;
  }
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  connection->deadline = Clock::now() + options_.requestDeadline;
  ++open_;
  ++perAddress_[connection->peer];
  watch(std::move(connection));
}

bool HttpServer::Engine::evictIdlest(const std::string* peer) {
  int idlest = -1;
  Clock::time_point since = Clock::time_point::max();
  for (const auto& [fd, connection] : waiting_) {
    if (peer != nullptr && connection->peer != *peer) continue;
    if (connection->idle && connection->impl->pending().empty() && connection->idleSince < since) {
      idlest = fd;
      since = connection->idleSince;
    }
  }
  if (idlest < 0) return false;
  close(idlest);
  return true;
}

void HttpServer::Engine::watch(std::unique_ptr<Connection> connection) {
  const int fd = connection->fd;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;  // one wake-up per arrival, not per byte waiting
  event.data.fd = fd;
  waiting_[fd] = std::move(connection);
  if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    close(fd);
    return;
  }
  examine(fd);  // bytes may already be there (or left over from a pipelined request)
}

// Looks at what has arrived without consuming it; hands the connection to
// a worker once a whole head is there.
void HttpServer::Engine::examine(int fd, bool hungUp) {
  Connection& connection = *waiting_.at(fd);
  const std::string& carried = connection.impl->pending();
  const std::size_t room = peekBuffer_.size() > carried.size() ? peekBuffer_.size() - carried.size() : 0;
  const auto peeked = ::recv(fd, peekBuffer_.data(), room, MSG_PEEK | MSG_DONTWAIT);
  if (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return close(fd);
  // Bytes a client sent before closing stay readable, so a peek alone would
  // not see the close of a client that left mid-head.
  const bool peerClosed = hungUp || (peeked == 0 && room > 0);
  std::string arrived = carried;
  if (peeked > 0) arrived.append(peekBuffer_.data(), static_cast<std::size_t>(peeked));
  if (connection.idle && !onlyBlankLines(arrived)) {
    connection.idle = false;  // a new request begins: its own deadline starts now
    connection.deadline = Clock::now() + options_.requestDeadline;
  }
  if (headEnd(arrived)) {
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);
    auto owned = std::move(waiting_.at(fd));
    waiting_.erase(fd);
    return handOff(std::move(owned));
  }
  if (peerClosed) return close(fd);
  if (arrived.size() >= options_.maxHeadBytes) {
    metrics_.recordRefusal(Metrics::Refusal::head_too_large);
    refuseWith(fd, RequestDispatcher::rawProblem(
                       431, "the request head exceeds " + std::to_string(options_.maxHeadBytes) + " bytes"));
    close(fd);
  }
}

void HttpServer::Engine::handOff(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(readyMutex_);
    if (ready_.size() < static_cast<std::size_t>(options_.maxQueued)) {
      ready_.push_back(std::move(connection));
      queued_.store(static_cast<int>(ready_.size()), std::memory_order_relaxed);
      readyChanged_.notify_one();
      return;
    }
  }
  metrics_.recordRefusal(Metrics::Refusal::overload);
  refuseWith(connection->fd, RequestDispatcher::rawProblem(503, "the server is busy; retry later"));
  connection->keepAlive = false;
  std::lock_guard lock(returnedMutex_);  // closed (and counted) with the others
  returned_.push_back(std::move(connection));
}

void HttpServer::Engine::adoptReturned() {
  std::deque<std::unique_ptr<Connection>> back;
  {
    std::lock_guard lock(returnedMutex_);
    back.swap(returned_);
  }
  for (auto& connection : back) {
    const int fd = connection->fd;
    if (!connection->keepAlive || abort_.load() || (draining_.load() && connection->impl->pending().empty())) {
      waiting_[fd] = std::move(connection);  // close() does the bookkeeping
      close(fd);
      continue;
    }
    connection->idle = true;
    connection->idleSince = Clock::now();
    connection->deadline = connection->idleSince + options_.keepAliveTimeout;
    watch(std::move(connection));
  }
}

void HttpServer::Engine::sweep() {
  const auto now = Clock::now();
  std::vector<int> expired;
  for (const auto& [fd, connection] : waiting_) {
    const bool idleWhileDraining = draining_.load() && connection->idle;
    if (now >= connection->deadline || idleWhileDraining || abort_.load()) expired.push_back(fd);
    if (now >= connection->deadline && !connection->idle) metrics_.recordRefusal(Metrics::Refusal::head_deadline);
  }
  for (const int fd : expired) close(fd);
  if (!listenerClosed_) acceptAll();  // descriptors may have been freed since an EMFILE
}

void HttpServer::Engine::close(int fd) {
  const auto found = waiting_.find(fd);
  if (found == waiting_.end()) return;
  ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);  // may already be out: harmless
  Connection& connection = *found->second;
  if (const auto count = perAddress_.find(connection.peer); count != perAddress_.end() && --count->second <= 0) {
    perAddress_.erase(count);
  }
  try {
    connection.socket.close();
  } catch (const Poco::Exception&) {
  }
  waiting_.erase(found);
  --open_;
}

// ---- workers ---------------------------------------------------------------

void HttpServer::Engine::runWorker() {
  for (;;) {
    std::unique_ptr<Connection> connection;
    {
      std::unique_lock lock(readyMutex_);
      readyChanged_.wait(lock, [this] { return stopWorkers_ || !ready_.empty(); });
      if (ready_.empty()) return;  // stopping
      connection = std::move(ready_.front());
      ready_.pop_front();
      queued_.store(static_cast<int>(ready_.size()), std::memory_order_relaxed);
    }
    {
      std::lock_guard lock(busyMutex_);
      busy_.insert(connection->fd);
    }
    do {
      serveOne(*connection);
    } while (connection->keepAlive && !draining_.load() && nextHeadArrives(*connection));
    {
      std::lock_guard lock(busyMutex_);
      busy_.erase(connection->fd);
    }
    giveBack(std::move(connection));
  }
}

// Serves exactly one request; the connection then goes back to the reactor.
void HttpServer::Engine::serveOne(Connection& connection) {
  DeadlineSocketImpl& socket = *connection.impl;
  socket.setDeadline(connection.deadline);
  connection.keepAlive = false;
  Poco::Net::HTTPServerSession session(connection.socket, params_);
  try {
    Poco::Net::HTTPServerResponseImpl response(session);
    Poco::Net::HTTPServerRequestImpl request(response, session, params_.get());
    connection.keepAlive = dispatcher_.serve(request, response, socket);
  } catch (const Poco::Net::NoMessageException&) {
    // the peer closed before sending a request
  } catch (const Poco::Net::MessageException&) {
    socket.setDeadline(Clock::now() + options_.requestDeadline);
    const std::string answer = RequestDispatcher::rawProblem(400, "malformed request head");
    try {
      socket.sendBytes(answer.data(), static_cast<int>(answer.size()));
    } catch (const Poco::Exception&) {
    }
  } catch (const Poco::Exception&) {
    // deadline passed or the connection broke mid-answer: nothing to tell
  } catch (const std::exception& e) {
    log().error(std::string("connection dropped: ") + e.what());
  }
  if (connection.keepAlive) {
    Poco::Buffer<char> unread(0);
    session.drainBuffer(unread);  // a pipelined client's next request, already read
    socket.pushBack(std::string(unread.begin(), unread.size()));
  }
  session.detachSocket();  // the session would close it
}

// The keep-alive fast path: when no request waits for a worker, this worker
// waits a moment for the client's next head and serves it at once, sparing
// the trip through the reactor. It never waits for a head to complete: a
// partial one goes back to the reactor like an idle connection.
bool HttpServer::Engine::nextHeadArrives(Connection& connection) {
  constexpr int kLingerMs = 10;
  if (queued_.load(std::memory_order_relaxed) > 0) return false;
  const std::string& carried = connection.impl->pending();
  if (carried.empty()) {  // the client reads the answer first: wait a moment for its next request
    pollfd entry{connection.fd, POLLIN, 0};
    if (::poll(&entry, 1, kLingerMs) <= 0) return false;
  }
  char peeked[4096];
  const auto n = ::recv(connection.fd, peeked, sizeof peeked, MSG_PEEK | MSG_DONTWAIT);
  std::string arrived = carried;
  if (n > 0) arrived.append(peeked, static_cast<std::size_t>(n));
  if (!headEnd(arrived)) return false;  // closed, or only part of a head: the reactor waits for the rest
  connection.deadline = Clock::now() + options_.requestDeadline;
  return true;
}

void HttpServer::Engine::giveBack(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(returnedMutex_);
    returned_.push_back(std::move(connection));
  }
  wake();
}

// ---- stop ------------------------------------------------------------------

void HttpServer::Engine::stop(std::chrono::milliseconds grace) {
  draining_ = true;
  wake();
  const auto deadline = Clock::now() + grace;
  while (!listenerGone_.load() && reactor_.joinable() && Clock::now() < deadline + std::chrono::seconds(1)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  while (open_.load() > 0 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (open_.load() > 0) {
    log().warning(std::to_string(open_.load()) + " connection(s) cut after the grace period");
    abort_ = true;
    std::lock_guard lock(busyMutex_);
    for (const int fd : busy_) ::shutdown(fd, SHUT_RDWR);
  }
  {
    std::lock_guard lock(readyMutex_);
    stopWorkers_ = true;
  }
  readyChanged_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
  stopReactor_ = true;
  wake();
  if (reactor_.joinable()) reactor_.join();
  std::lock_guard lock(readyMutex_);
  ready_.clear();  // never served: their descriptors close here
}

// ---- HttpServer ------------------------------------------------------------

HttpServer::HttpServer(const Router& router, Metrics& metrics, ServerOptions options)
    : router_(router), metrics_(metrics), options_(std::move(options)) {}

HttpServer::~HttpServer() = default;

void HttpServer::start() {
  engine_ = std::make_unique<Engine>(router_, metrics_, options_);
  engine_->start();
}

int HttpServer::port() const {
  return engine_ ? engine_->port() : options_.port;
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  if (engine_) engine_->stop(grace);
}

}  // namespace parcours::api
