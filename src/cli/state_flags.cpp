#include "cli/state_flags.h"

#include <ctime>

#include "cli/commands.h"
#include "consent/fhir_time.h"
#include "store/state_db.h"

namespace radveil::cli {

void add_state_flag(CLI::App& cmd, StateArgs& args) {
  cmd.add_option("--state", args.state,
                 "state folder: recipients, consents, export decisions (default: $RADVEIL_STATE, else "
                 "$XDG_STATE_HOME/radveil or ~/.local/state/radveil)");
}

void add_policy_flag(CLI::App& cmd, StateArgs& args) {
  cmd.add_option("--policy", args.policy,
                 "consent policy file (TOML; default: STATE/policy.toml if present, else the built-in policy)");
}

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

std::int64_t time_argument(const std::string& text, const char* flag) {
  if (text.empty()) return static_cast<std::int64_t>(std::time(nullptr));
  const auto t = consent::parse_fhir_time(text);
  if (!t) throw CommandFailure{2, std::string(flag) + " must be a date (2024-03-05) or a FHIR dateTime"};
  return t->first;
}

}  // namespace radveil::cli
