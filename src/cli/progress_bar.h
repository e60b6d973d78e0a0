#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal. Thread-safe.
#include <chrono>
#include <cstddef>
#include <mutex>

namespace radveil::cli {

class ProgressBar {
 public:
  ProgressBar();
  // While the input is still being walked the total is not known yet: shown as "done/found+".
  void update(std::size_t done, std::size_t total, bool walk_complete);
  void finish();

 private:
  bool enabled_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace radveil::cli
