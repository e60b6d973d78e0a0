#include "core/event_log.h"

#include <cstdio>
#include <ctime>
#include <mutex>

namespace radveil {

void log_event(const std::string& event, nlohmann::json fields) {
  static std::mutex mutex;
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char time[32];
  std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%SZ", &utc);
  nlohmann::json line = {{"time", time}, {"event", event}};
  if (fields.is_object()) line.update(fields);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex);
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace radveil
