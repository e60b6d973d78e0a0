#include "cli/commands.h"
#include "cli/deid_flags.h"

namespace radveil::cli {

void add_deid_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("deid", "de-identify DICOM files (PS3.15 Annex E) from IN into OUT");
  auto args = std::make_shared<DeidArgs>();
  add_deid_flags(*cmd, args);
  cmd->callback([args] { run_and_report(*args, deid_config(*args), load_key(args->key)); });
}

}  // namespace radveil::cli
