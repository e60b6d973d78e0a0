#pragma once
// `radveil scan DIR`: every file below DIR, in parallel workers, each looked at whole (header,
// pixels) and CT/MR series gathered for the face check after; then the risk of what is kept.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scan/scan_report.h"

namespace radveil::scan {

struct ScanConfig {
  std::filesystem::path input;
  std::optional<std::filesystem::path> against;  // the original folder
  std::optional<std::filesystem::path> key;      // radveil's key, to match through pseudonyms
  bool pixels = true;  // OCR every frame (and the face check); off: headers only
  bool faces = true;   // with pixels: the face check of CT/MR series
  std::size_t k = 5;   // the k of k-anonymity asked for
  std::vector<std::string> quasi_identifiers;    // empty: all known (quasi_identifiers.h)
  unsigned jobs = 0;   // 0: all cores
  FailLevel fail_on = FailLevel::High;
};

// Files done of files found, then (with pixels) files and CT/MR series done of both.
using ScanProgress = std::function<void(std::size_t done, std::size_t total)>;

// Throws std::runtime_error when the input or the originals cannot be read at all.
ScanReport run_scan(const ScanConfig& config, const ScanProgress& progress = {});

}  // namespace radveil::scan
