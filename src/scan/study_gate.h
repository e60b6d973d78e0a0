#pragma once
// `--scan-gate LEVEL` on `radveil export` and on the node's routes: the scan of `radveil scan`
// run on each study just written, before it is recorded or delivered. A study with findings at
// or above LEVEL is held back whole: its files move from OUT into the quarantine, beside a
// findings.json, and it is neither recorded nor delivered.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "scan/finding.h"

namespace radveil::scan {

struct HeldBackStudy {
  std::string folder;  // OUT-relative "<patient>/<study>" (pseudonyms)
  std::size_t instances = 0;
  std::vector<Finding> findings;  // those at or above the gate's level
};

struct StudyGateResult {
  std::map<std::string, std::string> passed;  // input id -> OUT-relative path, as given
  std::vector<HeldBackStudy> held_back;
};

inline constexpr const char* kHeldBackFolder = "held-back-by-scan";

// `published`: input id -> OUT-relative path in radveil's layout (<patient>/<study>/<series>/<sop>.dcm).
// Held-back studies go to QUARANTINE/held-back-by-scan/<patient>/<study>/. Entries whose files are
// no longer in OUT (held back by an earlier, interrupted run) pass no more.
StudyGateResult gate_studies(const std::filesystem::path& out, const std::filesystem::path& quarantine,
                             const std::map<std::string, std::string>& published, FailLevel level, unsigned jobs);

}  // namespace radveil::scan
