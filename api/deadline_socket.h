#pragma once
// DeadlineSocketImpl — an accepted connection as Poco's HTTP classes see it,
// with two changes: every read and write must finish before a deadline set
// for the whole request (a per-read timeout would let a client that sends a
// byte now and then hold a worker forever), and bytes already taken off the
// socket for an earlier request (a pipelined client's next head) are handed
// out before the socket is read again.

#include <chrono>
#include <string>

#include <Poco/Net/StreamSocketImpl.h>

namespace parcours::api {

class DeadlineSocketImpl final : public Poco::Net::StreamSocketImpl {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes ownership of the connected descriptor `fd`.
  explicit DeadlineSocketImpl(poco_socket_t fd);

  // Reads and writes past `deadline` throw Poco::TimeoutException.
  void setDeadline(Clock::time_point deadline) noexcept { deadline_ = deadline; }
  Clock::time_point deadline() const noexcept { return deadline_; }

  // Bytes read from the socket but not used yet; they come first.
  void pushBack(std::string bytes);
  const std::string& pending() const noexcept { return pending_; }

  using Poco::Net::StreamSocketImpl::receiveBytes;
  using Poco::Net::StreamSocketImpl::sendBytes;
  int receiveBytes(void* buffer, int length, int flags = 0) override;
  // Sends all of `buffer` (or throws): Poco's stream buffers treat a short
  // write as a failure.
  int sendBytes(const void* buffer, int length, int flags = 0) override;

 private:
  // Waits until the socket is ready for `events` or the deadline passes.
  void await(short events) const;

  Clock::time_point deadline_ = Clock::time_point::max();
  std::string pending_;
};

}  // namespace parcours::api
