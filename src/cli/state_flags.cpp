#include "cli/state_flags.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "consent/fhir_time.h"
#include "store/state_db.h"

namespace radveil::cli {

std::filesystem::path state_dir(const StateArgs& args) {
  try {
    return args.state.empty() ? store::default_state_dir() : std::filesystem::path(args.state);
  } catch (const store::StoreError& e) {
    throw CommandFailure{2, e.what()};
  }
}

std::unique_ptr<store::StateStore> open_store(const StateArgs& args) {
  try {
    return store::open_state_store(state_dir(args));
  } catch (const store::StoreError& e) {
    throw CommandFailure{2, e.what()};
  }
}

consent::Policy policy_in_force(const StateArgs& args) {
  try {
    if (!args.policy.empty()) return consent::load_policy(args.policy);
    const std::filesystem::path site = state_dir(args) / "policy.toml";
    std::error_code ec;
    if (std::filesystem::exists(site, ec)) return consent::load_policy(site);
    return consent::default_policy();
  } catch (const consent::PolicyError& e) {
    throw CommandFailure{2, e.what()};
  }
}

ledger::LedgerKeys ledger_keys(const StateArgs& args) {
  try {
    const std::filesystem::path dir = state_dir(args);
    std::filesystem::create_directories(dir);
    return ledger::load_or_create_ledger_keys(dir);
  } catch (const ledger::NoteError& e) {
    throw CommandFailure{2, e.what()};
  }
}

std::unique_ptr<audit::AuditTrail> audit_trail(const StateArgs& args) {
  try {
    const std::filesystem::path dir = state_dir(args);
    auto config = audit::load_audit_config(args.audit, dir);
    auto source = audit::local_source(config.source_id, config.enterprise_site_id);
    return std::make_unique<audit::AuditTrail>(std::move(config), std::move(source));
  } catch (const audit::AuditConfigError& e) {
    throw CommandFailure{2, e.what()};
  } catch (const audit::AuditError& e) {
    throw CommandFailure{2, e.what()};
  }
}

void report_forward(const audit::ForwardResult& result) {
  if (!result.error.empty())
    std::fprintf(stderr, "warning: %zu audit message(s) wait in the audit file: %s (sent on the next export or radveil audit flush)\n",
                 result.pending, result.error.c_str());
}

void forward_audit(audit::AuditTrail& trail) {
  try {
    report_forward(trail.forward());
  } catch (const audit::AuditError& e) {
    std::fprintf(stderr, "warning: %s\n", e.what());
  }
}

std::string read_text_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CommandFailure{2, "cannot read " + file};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::int64_t time_argument(const std::string& text, const char* flag) {
  if (text.empty()) return static_cast<std::int64_t>(std::time(nullptr));
  const auto t = consent::parse_fhir_time(text);
  if (!t) throw CommandFailure{2, std::string(flag) + " must be a date (2024-03-05) or a FHIR dateTime"};
  return t->first;
}

}  // namespace radveil::cli
