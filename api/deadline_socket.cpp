#include "api/deadline_socket.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>

namespace parcours::api {

DeadlineSocketImpl::DeadlineSocketImpl(poco_socket_t fd) : StreamSocketImpl(fd) {}

void DeadlineSocketImpl::pushBack(std::string bytes) {
  pending_.insert(0, bytes);
}

void DeadlineSocketImpl::await(short events) const {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
    if (left <= 0) throw Poco::TimeoutException("request deadline passed");
    pollfd entry{sockfd(), events, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, 60'000)));
    if (ready > 0) return;
    if (ready < 0 && errno != EINTR) throw Poco::Net::NetException(std::strerror(errno));
  }
}

int DeadlineSocketImpl::receiveBytes(void* buffer, int length, int flags) {
  if (!pending_.empty() && length > 0) {
    const auto n = std::min(pending_.size(), static_cast<std::size_t>(length));
    std::memcpy(buffer, pending_.data(), n);
    pending_.erase(0, n);
    return static_cast<int>(n);
  }
  for (;;) {  // try first: the bytes are usually there already
    const auto n = ::recv(sockfd(), buffer, static_cast<std::size_t>(length), flags | MSG_DONTWAIT);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      await(POLLIN);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == ECONNRESET) throw Poco::Net::ConnectionResetException();
    throw Poco::Net::NetException(std::strerror(errno));
  }
}

int DeadlineSocketImpl::sendBytes(const void* buffer, int length, int flags) {
  const auto* bytes = static_cast<const char*>(buffer);
  int sent = 0;
  while (sent < length) {
    const auto n =
        ::send(sockfd(), bytes + sent, static_cast<std::size_t>(length - sent), flags | MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<int>(n);
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      await(POLLOUT);  // the peer's window is full: wait for room, not past the deadline
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == ECONNRESET || errno == EPIPE) throw Poco::Net::ConnectionResetException();
    throw Poco::Net::NetException(std::strerror(errno));
  }
  return sent;
}

}  // namespace parcours::api
