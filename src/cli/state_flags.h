#pragma once
// The state folder (--state DIR, else RADVEIL_STATE, else $XDG_STATE_HOME/radveil or
// ~/.local/state/radveil) and the consent policy (--policy FILE, else DIR/policy.toml when it
// exists, else the built-in default), for every command that keeps state.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "consent/policy.h"
#include "store/state_store.h"

namespace radveil::cli {

struct StateArgs {
  std::string state, policy;
};

void add_state_flag(CLI::App& cmd, StateArgs& args);
void add_policy_flag(CLI::App& cmd, StateArgs& args);

std::filesystem::path state_dir(const StateArgs& args);
std::unique_ptr<store::StateStore> open_store(const StateArgs& args);  // CommandFailure on error
consent::Policy policy_in_force(const StateArgs& args);                // CommandFailure on error

// "2024-03-05" or a FHIR dateTime: the first second it names; empty: now.
std::int64_t time_argument(const std::string& text, const char* flag);

}  // namespace radveil::cli
