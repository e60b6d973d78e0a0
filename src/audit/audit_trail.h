#pragma once
// Where a process's audit messages go. Each message is appended to the audit file first, as one
// RFC 5424 line (mode 0600, written and flushed to disk before record() returns), so nothing is
// lost when the collector is away. forward() then sends the collector every line it has not yet
// received, in order, octet-counted, and notes how far it got in FILE.sent only after the whole
// batch was sent and the connection closed in order: delivery is at least once; a failed attempt
// is retried by the next forward (the next export, or `radveil audit flush`).
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "audit/audit_config.h"
#include "audit/audit_events.h"
#include "audit/audit_message.h"

namespace radveil::audit {

class AuditError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ForwardResult {
  std::size_t sent = 0;     // messages the collector was sent this time
  std::size_t pending = 0;  // messages still waiting (after a failure)
  std::string error;        // why they wait (names the collector, never a message)
};

class AuditTrail {
 public:
  // Opens (creates) the audit file: AuditError when it cannot, so that nothing leaves unaudited.
  explicit AuditTrail(AuditConfig config, AuditSource source);
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  const AuditSource& source() const { return source_; }
  const AuditConfig& config() const { return config_; }

  // Appends one message (thread-safe); AuditError when the file cannot take it.
  void record(const AuditMessage& message);
  // Sends what the collector has not received; without a collector, nothing to do.
  ForwardResult forward();

 private:
  AuditConfig config_;
  AuditSource source_;
  int fd_ = -1;
  std::mutex mutex_;          // appending
  std::mutex forward_mutex_;  // one forward at a time; appending goes on meanwhile
};

// Milliseconds since the epoch, now.
std::int64_t now_millis();

}  // namespace radveil::audit
