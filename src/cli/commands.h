#pragma once
// `radveil <verb>`: each verb registers its options and runs through the library.
#include <CLI/CLI.hpp>

namespace radveil::cli {

void add_key_command(CLI::App& app);
void add_synth_command(CLI::App& app);
void add_deid_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_deface_check_command(CLI::App& app);
void add_recipient_command(CLI::App& app);
void add_consent_command(CLI::App& app);
void add_policy_command(CLI::App& app);
void add_export_command(CLI::App& app);

// Thrown by a command to end with this exit code after printing `message` to stderr.
struct CommandFailure {
  int exit_code;
  std::string message;
};

}  // namespace radveil::cli
