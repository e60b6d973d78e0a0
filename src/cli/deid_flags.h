#pragma once
// The flags `radveil deid` and `radveil export` share (IN, OUT, key, options, pixel and face
// settings, jobs, reports), how they become a run's configuration, and how a run is reported.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "pipeline/deid_run.h"
#include "pseudonym/secret_key.h"

namespace radveil::cli {

struct DeidArgs {
  std::string input, output, key, quarantine, report, face_report, review;
  std::string pixel_scan = "all", pixel_text = "all", face_mode = "face";
  std::vector<std::string> options;
  int jobs = 0;
  bool fail_on_quarantine = false;
};

void add_deid_flags(CLI::App& cmd, const std::shared_ptr<DeidArgs>& args);

// Throws CommandFailure (status 2) for flags that contradict each other.
pipeline::DeidRunConfig deid_config(const DeidArgs& args);

// Throws CommandFailure (status 2) when the key file cannot be used.
pseudonym::SecretKey load_key(const std::string& file);

// Runs the job with a progress bar, prints its summary, writes --report; exit 3 with
// --fail-on-quarantine when something was quarantined.
void run_and_report(const DeidArgs& args, const pipeline::DeidRunConfig& config, const pseudonym::SecretKey& key);

}  // namespace radveil::cli
