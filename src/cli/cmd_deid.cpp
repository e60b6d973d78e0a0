#include "cli/commands.h"
#include "cli/deid_flags.h"

namespace radveil::cli {

void deid(const DeidArgs& args) {
  const pipeline::DeidRunConfig config = deid_config(args);
  run_and_report(args, config, load_key(args.key));
}

}  // namespace radveil::cli
