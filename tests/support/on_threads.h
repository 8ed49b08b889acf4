#pragma once
// Runs `body(i)` on `n` threads started together; rethrows the first
// failure on the calling thread (Catch assertions are not for other threads).

#include <cstddef>
#include <exception>
#include <latch>
#include <thread>
#include <vector>

namespace parcours::testing {

template <class F>
void onThreads(int n, F body) {
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(n));
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        body(i);
      } catch (...) {
        failures[static_cast<std::size_t>(i)] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace parcours::testing
