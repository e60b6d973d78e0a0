#pragma once
// What happened to one input file. Reasons are short machine-readable codes.
#include <filesystem>
#include <string>

namespace radveil::pipeline {

enum class OutcomeKind { Deidentified, Quarantined, Skipped };

struct Outcome {
  OutcomeKind kind = OutcomeKind::Skipped;
  std::string reason;  // empty for Deidentified
  std::string detail;  // for people; never a patient value
  std::filesystem::path output;  // relative to OUT, for Deidentified
  std::string quarantine_id;     // for Quarantined
};

std::string_view outcome_name(OutcomeKind kind);

}  // namespace radveil::pipeline
