#pragma once
// The node's DICOM listener: accepts TCP connections on the configured port, hands each
// association to a thread of its own (at most max_associations at once; more are rejected as a
// transient limit), where AE titles and host are checked before anything is negotiated.
// stop() ends accepting; the associations in progress finish (or time out) before run() returns.
#include <atomic>
#include <cstdint>
#include <string>

#include "gateway/node_config.h"
#include "gateway/spool.h"
#include "net/intake_scp.h"

namespace radveil::net {

struct ListenerCounters {
  std::atomic<std::uint64_t> associations{0}, rejected{0}, stored{0}, refused{0};
  std::atomic<int> active{0};
};

class DicomListener {
 public:
  DicomListener(const gateway::ListenSettings& settings, gateway::Spool& spool, ListenerCounters& counters);
  ~DicomListener();
  DicomListener(const DicomListener&) = delete;
  DicomListener& operator=(const DicomListener&) = delete;

  void run();   // until stop(); throws std::runtime_error when the port cannot be opened
  void stop() { stop_ = true; }

 private:
  struct State;
  const gateway::ListenSettings& settings_;
  gateway::Spool& spool_;
  ListenerCounters& counters_;
  std::atomic<bool> stop_{false};
};

}  // namespace radveil::net
