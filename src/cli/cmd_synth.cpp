#include <cstdio>

#include "cli/commands.h"
#include "synth/synth_archive.h"

namespace radveil::cli {

void synth(synth::SynthConfig config, const std::string& out) {
  config.out = out;
  auto summary = synth::synthesize_archive(config);
  std::printf("wrote %zu DICOM files and %zu other file(s), %.1f MB, to %s/archive\nanswer key: %s/answer-key.json\n",
              summary.dicom_files, summary.other_files, static_cast<double>(summary.bytes) / 1e6, out.c_str(), out.c_str());
}

}  // namespace radveil::cli
