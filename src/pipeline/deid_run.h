#pragma once
// A whole `radveil deid` job run: stream the input files through N workers, stage each output,
// publish and journal it, quarantine what is refused. Interrupted runs are resumed by running
// the same command again: finished inputs are skipped, staged leftovers are cleared.
#include <filesystem>
#include <functional>
#include <stdexcept>

#include "pipeline/pixel_stage.h"
#include "pipeline/release_gate.h"
#include "pipeline/run_report.h"
#include "profile/options.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::pipeline {

struct DeidRunConfig {
  std::filesystem::path input;
  std::filesystem::path output;
  std::filesystem::path quarantine;
  profile::OptionSet options;
  bool clean_recognizable_visual_features = false;  // deface head CT/MR series (113102)
  std::filesystem::path face_report_dir;             // if set: renders and JSON per defaced series
  bool remove_ears = false;                          // --face-mode face-and-ears
  PixelCleaningConfig pixels;                        // clean-pixel-data (113101)
  int jobs = 0;  // 0: all cores
  ReleaseGate* gate = nullptr;  // `radveil export`: the consent decision before anything else
  // `radveil export`: told of each written instance (by its input's id) before it is published,
  // so that the record of a disclosure can never be missing for a published file. A throw keeps
  // the instance back (quarantined "record-failed").
  std::function<void(const std::string& input_id, const Outcome& outcome)> before_publish;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The job's state folder inside OUT: state.sqlite (journal), tmp/ (staged outputs), lock.
std::filesystem::path state_dir(const std::filesystem::path& output);

// Checks that input exists and that input, output and quarantine do not contain one another.
void validate(const DeidRunConfig& config);

// Progress: files finished by this run, files found so far, whether the walk is complete.
using Progress = std::function<void(std::size_t done, std::size_t found, bool walk_complete)>;

RunReport run_deid(const DeidRunConfig& config, const pseudonym::Pseudonymizer& pseudonymizer,
                   const Progress& progress = {});

}  // namespace radveil::pipeline
