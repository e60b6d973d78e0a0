#pragma once
// A connection to a syslog collector: TCP, and TLS over it unless the target says otherwise
// (RFC 5425: TLS 1.2 or later, the collector's certificate checked against the configured CAs and
// its name, this node's certificate offered when configured). Blocking, with the target's timeout
// on connecting and on every write. Errors name the collector and the reason, never a message.
#include <memory>
#include <stdexcept>
#include <string_view>

#include "audit/audit_config.h"

namespace radveil::audit {

class SyslogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SyslogClient {
 public:
  explicit SyslogClient(const SyslogTarget& target);  // connects; SyslogError when it cannot
  ~SyslogClient();
  SyslogClient(const SyslogClient&) = delete;
  SyslogClient& operator=(const SyslogClient&) = delete;

  void send(std::string_view bytes);  // all of them, or SyslogError
  void close();                       // an orderly end (TLS close_notify); SyslogError on failure

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace radveil::audit
