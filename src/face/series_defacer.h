#pragma once
// Clean Recognizable Visual Features (113102) for one series: find out whether it shows a face,
// remove it, prove with the renders and detectors that it is gone, and write the changed voxels
// back into the instances' Pixel Data (decoded to uncompressed first if it was compressed).
#include <dcmtk/dcmdata/dctk.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "face/face_check.h"

namespace radveil::face {

struct HeadFrame;

enum class SeriesFaceOutcome {
  NoFace,   // nothing to remove (not a head, or a single slice): pixels untouched
  Defaced,  // face removed and verified gone: pixels rewritten
  Refused,  // quarantine the series: reason says why
};

struct SeriesFaceReport {
  SeriesFaceOutcome outcome = SeriesFaceOutcome::NoFace;
  std::string reason, detail;
  bool is_ct = false, tilted = false, decompressed = false;
  std::string frame;  // the head's axes found (head_frame.h), or empty when it has none
  float threshold = 0;
  std::optional<FaceCheck> before, after;  // in the head's axes (head_frame.h)
  std::optional<FaceCheck> after_in_scanner_axes;  // the result seen from the scanner's axes too
  std::size_t tissue_voxels_removed = 0, cavity_voxels_closed = 0, brain_voxels_changed = 0;
  double seconds = 0;

  nlohmann::json to_json() const;
  // before-XX.png / after-XX.png for each view, with detections drawn.
  void write_renders(const std::filesystem::path& dir) const;
};

// `instances` must be fully loaded. With `modify`, a defaced series has its Pixel Data rewritten
// in place (uncompressed) and Recognizable Visual Features set to NO.
// `known_frame`, when given, is used instead of finding the head's axes (measurements).
SeriesFaceReport deface_series(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors,
                               bool modify = true, const HeadFrame* known_frame = nullptr);

// Only the verification: renders and detectors on the series as it is (any tool's output).
SeriesFaceReport check_series(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors);

std::string_view outcome_name(SeriesFaceOutcome outcome);

}  // namespace radveil::face
