#pragma once
// The arguments `radveil deid` and `radveil export` share (IN, OUT, key, options, pixel and face
// settings, jobs, reports), how they become a run's configuration, and how a run is reported.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/deid_args.h"
#include "pipeline/deid_run.h"
#include "pseudonym/secret_key.h"

namespace radveil::cli {


// Throws CommandFailure (status 2) for flags that contradict each other.
pipeline::DeidRunConfig deid_config(const DeidArgs& args);

// Throws CommandFailure (status 2) when the key file cannot be used.
pseudonym::SecretKey load_key(const std::string& file);

// Runs `job` (a deid or export run), turning its errors into CommandFailure with radveil's words
// (never a path: it may name a patient).
pipeline::RunReport guarded_run(const std::function<pipeline::RunReport()>& job);

// Prints the run's summary, writes --report; exit 3 with --fail-on-quarantine when something was
// quarantined.
void report_run(const DeidArgs& args, const pipeline::DeidRunConfig& config, const pipeline::RunReport& report);

// `radveil deid`: the job with a progress bar, then its report.
void run_and_report(const DeidArgs& args, const pipeline::DeidRunConfig& config, const pseudonym::SecretKey& key);

}  // namespace radveil::cli
