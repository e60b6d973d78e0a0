#pragma once
// A whole `radveil deid` run: find the input files, push each through the instance pipeline on
// N threads, quarantine what is refused, and count everything.
#include <filesystem>
#include <functional>
#include <optional>

#include "pipeline/run_report.h"
#include "profile/options.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::pipeline {

struct DeidRunConfig {
  std::filesystem::path input;
  std::filesystem::path output;
  std::filesystem::path quarantine;
  profile::OptionSet options;
  int jobs = 0;  // 0: all cores
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks that input exists and that input, output and quarantine do not contain one another.
void validate(const DeidRunConfig& config);

// Progress callback: (files done, files total).
using Progress = std::function<void(std::size_t, std::size_t)>;

struct DeidRunResult {
  RunReport report;
  double seconds = 0;
  int jobs = 1;
  std::size_t walk_errors = 0;
};

void run_deid(const DeidRunConfig& config, const pseudonym::Pseudonymizer& pseudonymizer, DeidRunResult& result,
              const Progress& progress = {});

}  // namespace radveil::pipeline
