#pragma once
// The state folder (--state DIR, else RADVEIL_STATE, else $XDG_STATE_HOME/radveil or
// ~/.local/state/radveil) and the consent policy (--policy FILE, else DIR/policy.toml when it
// exists, else the built-in default), for every command that keeps state.
#include <filesystem>
#include <memory>
#include <string>

#include "audit/audit_trail.h"
#include "consent/policy.h"
#include "ledger/ledger_keys.h"
#include "store/state_store.h"

namespace radveil::cli {

struct StateArgs {
  std::string state, policy, audit;
};

std::filesystem::path state_dir(const StateArgs& args);
std::unique_ptr<store::StateStore> open_store(const StateArgs& args);  // CommandFailure on error
consent::Policy policy_in_force(const StateArgs& args);                // CommandFailure on error
ledger::LedgerKeys ledger_keys(const StateArgs& args);                 // created on first use
// The audit trail (--audit-config FILE, else STATE/audit.toml, else STATE/audit.log alone).
std::unique_ptr<audit::AuditTrail> audit_trail(const StateArgs& args);  // CommandFailure on error
// Sends the collector what it has not received; says so (no message content) on standard error.
void forward_audit(audit::AuditTrail& trail);
void report_forward(const audit::ForwardResult& result);

// A whole file named on the command line (consents, checkpoints, proofs); CommandFailure (status 2)
// when it cannot be read.
std::string read_text_file(const std::string& file);

// "2024-03-05" or a FHIR dateTime: the first second it names; empty: now.
std::int64_t time_argument(const std::string& text, const char* flag);

}  // namespace radveil::cli
