#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace radveil::cli {

ProgressBar::ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}

void ProgressBar::update(std::size_t done, std::size_t total, bool walk_complete) {
  if (!enabled_ || total == 0) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (done != total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr int kWidth = 40;
  const int filled = static_cast<int>(kWidth * done / total);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r[%s] %zu/%zu%s ", bar.c_str(), done, total, walk_complete ? "" : "+");
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  std::fprintf(stderr, "\r%*s\r", 70, "");
  std::fflush(stderr);
}

}  // namespace radveil::cli
