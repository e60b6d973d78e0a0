#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "core/library_messages.h"
#include "core/report_text.h"
#include "core/version.h"

int main(int argc, char** argv) {
  // Library messages may quote values from the files they read; radveil reports per file itself.
  radveil::silence_library_messages();
  CLI::App app{"radveil - a privacy gateway for radiology images"};
  app.set_version_flag("--version", radveil::kVersion);
  app.require_subcommand(1);
  radveil::cli::add_key_command(app);
  radveil::cli::add_synth_command(app);
  radveil::cli::add_deid_command(app);
  radveil::cli::add_export_command(app);
  radveil::cli::add_recipient_command(app);
  radveil::cli::add_consent_command(app);
  radveil::cli::add_policy_command(app);
  radveil::cli::add_demo_command(app);
  radveil::cli::add_deface_check_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here too (status 0); every usage error is status 2.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const radveil::cli::CommandFailure& f) {
    std::fprintf(stderr, "radveil: %s\n", f.message.c_str());
    return f.exit_code;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "radveil: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    // Whatever escaped the commands' own error handling may quote input: described, not quoted.
    std::fprintf(stderr, "radveil: %s\n", radveil::report_text::describe_unexpected(e).c_str());
    return 1;
  }
  return 0;
}
