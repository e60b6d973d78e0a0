#include "pipeline/outcome.h"

namespace radveil::pipeline {

std::string_view outcome_name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::Deidentified: return "deidentified";
    case OutcomeKind::Quarantined: return "quarantined";
    case OutcomeKind::Skipped: return "skipped";
    case OutcomeKind::Withheld: return "withheld";
  }
  return "unknown";
}

}  // namespace radveil::pipeline
