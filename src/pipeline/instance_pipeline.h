#pragma once
// One input file through every stage: read -> decide -> de-identify -> verify -> write.
// Any failure anywhere becomes a quarantine outcome; nothing is ever partly written.
#include <filesystem>

#include "pipeline/outcome.h"
#include "profile/options.h"
#include "pseudonym/pseudonymizer.h"

namespace radveil::pipeline {

class InstancePipeline {
 public:
  InstancePipeline(const profile::OptionSet& options, const pseudonym::Pseudonymizer& pseudonymizer,
                   std::filesystem::path output_root)
      : options_(options), pseudonymizer_(pseudonymizer), output_root_(std::move(output_root)) {}

  // Never throws for a problem of the input; the outcome says what happened.
  Outcome process(const std::filesystem::path& input) const;

 private:
  Outcome deidentify(const std::filesystem::path& input) const;

  const profile::OptionSet& options_;
  const pseudonym::Pseudonymizer& pseudonymizer_;
  std::filesystem::path output_root_;
};

}  // namespace radveil::pipeline
