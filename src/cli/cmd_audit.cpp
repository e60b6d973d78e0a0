// `radveil audit flush`: sends the audit collector what it has not received (after it was away).
#include <cstdio>

#include "cli/commands.h"
#include "cli/state_flags.h"

namespace radveil::cli {

void audit_flush(const StateArgs& state) {
  const auto trail = audit_trail(state);
  if (!trail->config().syslog) {
    std::printf("no syslog collector is configured; audit messages are in %s\n", trail->config().file.c_str());
    return;
  }
  audit::ForwardResult result;
  try {
    result = trail->forward();
  } catch (const audit::AuditError& e) {
    throw CommandFailure{2, e.what()};
  }
  if (!result.error.empty())
    throw CommandFailure{3, std::to_string(result.pending) + " audit message(s) still wait: " + result.error};
  std::printf("%zu audit message(s) sent to %s:%d; none waiting\n", result.sent, trail->config().syslog->host.c_str(),
              trail->config().syslog->port);
}

}  // namespace radveil::cli
