#pragma once
// The node's DICOM listener. Its own thread accepts TCP connections and never waits on a peer:
// each connection gets a thread of its own, which reads the association request with a
// deadline; only then are AE titles and host checked (ConnectionGate bounds the connections
// still waiting, dropping the longest-waiting first). An accepted association is served by
// IntakeScp (C-ECHO, C-STORE into the spool), at most max_associations at once (more are
// rejected as a transient limit); a stalled peer loses its association after timeout_seconds.
// stop() ends accepting; associations in progress get timeout_seconds to finish, then their
// connections are closed, before run() returns.
#include <atomic>
#include <cstdint>
#include <string>

#include "net/listen_settings.h"
#include "net/spool.h"

namespace radveil::net {

struct ListenerCounters {
  std::atomic<std::uint64_t> associations{0}, rejected{0}, stored{0}, refused{0}, out_of_resources{0};
  // Connections that ended before a whole association request: closed by the peer, past the
  // deadline, dropped to make room for newer ones, or not speaking DICOM.
  std::atomic<std::uint64_t> dropped_closed{0}, dropped_timeout{0}, dropped_crowded{0}, dropped_not_dicom{0};
  std::atomic<int> active{0}, pending{0};
  std::atomic<bool> intake_paused{false};  // the spool's disk is below min_free_mb
};

class DicomListener {
 public:
  DicomListener(const ListenSettings& settings, Spool& spool, ListenerCounters& counters);
  ~DicomListener();
  DicomListener(const DicomListener&) = delete;
  DicomListener& operator=(const DicomListener&) = delete;

  void run();   // until stop(); throws std::runtime_error when the port cannot be opened
  void stop() { stop_ = true; }

 private:
  struct State;
  const ListenSettings& settings_;
  Spool& spool_;
  ListenerCounters& counters_;
  std::atomic<bool> stop_{false};
};

}  // namespace radveil::net
