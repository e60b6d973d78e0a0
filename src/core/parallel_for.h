#pragma once
// Runs fn(0) .. fn(count - 1) on `jobs` threads (the caller's included), each taking the next
// index as it finishes one: items of very different cost (a CT series next to a single slice)
// keep every worker busy. Exceptions are fn's to handle; `jobs` 0 means every core.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace radveil {

template <class Fn>
void parallel_for(std::size_t count, unsigned jobs, Fn&& fn) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) fn(i);
  };
  std::vector<std::jthread> threads;
  for (unsigned t = 1; t < std::min<std::size_t>(jobs, count); ++t) threads.emplace_back(work);
  work();
}

}  // namespace radveil
