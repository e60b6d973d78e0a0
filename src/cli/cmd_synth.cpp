#include <cstdio>

#include "cli/commands.h"
#include "synth/synth_archive.h"

namespace radveil::cli {

void add_synth_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("synth", "write a synthetic archive with planted identities and its answer key");
  auto config = std::make_shared<synth::SynthConfig>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("OUT", *out, "folder to create: OUT/archive/ and OUT/answer-key.json")->required();
  cmd->add_option("--patients", config->patients, "number of patients")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--slices", config->slices, "CT slices per patient (the MR gets half)")->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", config->seed, "random seed (same seed, same archive)")->capture_default_str();
  cmd->add_option("--rows", config->rows, "CT matrix size (MR: half)")->capture_default_str()->check(CLI::Range(16, 4096));
  cmd->add_option("--syntaxes", config->syntaxes,
                  "transfer syntaxes patients rotate through: explicit, implicit, big-endian, deflated")
      ->delimiter(',')
      ->capture_default_str();
  cmd->callback([config, out] {
    config->out = *out;
    auto summary = synth::synthesize_archive(*config);
    std::printf("wrote %zu DICOM files and %zu other file(s), %.1f MB, to %s/archive\nanswer key: %s/answer-key.json\n",
                summary.dicom_files, summary.other_files, static_cast<double>(summary.bytes) / 1e6, out->c_str(),
                out->c_str());
  });
}

}  // namespace radveil::cli
