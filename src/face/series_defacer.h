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
#include "face/head_frame.h"
#include "face/template_registration.h"

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
  std::optional<HeadFrame> head_axes;  // the same axes; landmarks in `before` are in them
  // What located the face that was cut: "detector", "nose", or "frontal skin" (a head whose face
  // may be in view without either: cut where the frontal skin puts it, then verified the same way).
  std::string located_by;
  float threshold = 0;
  std::optional<FaceCheck> before, after;  // in the head's axes (head_frame.h)
  std::optional<FaceCheck> after_in_scanner_axes;  // the result seen from the scanner's axes too
  std::size_t tissue_voxels_removed = 0, cavity_voxels_closed = 0, brain_voxels_changed = 0;
  // With remove_ears: per side (left, right), the ear's area and protrusion before, tissue voxels
  // removed, and the most anything still stands out from the side of the head after.
  nlohmann::json ears;
  // The head template's registration: pose, fit, the second fit's disagreement, the face
  // landmarks as mapped (in view, skin near them); or its failure.
  nlohmann::json registration;
  std::optional<TemplateRegistration> fit;  // the same registration, when one was trusted
  double seconds = 0;

  nlohmann::json to_json() const;
  // before-XX.png / after-XX.png for each view, with detections drawn.
  void write_renders(const std::filesystem::path& dir) const;
};

struct DefaceOptions {
  bool remove_ears = false;  // --face-mode face-and-ears: the outer ears go too (ears.h)
  bool modify = true;        // rewrite the Pixel Data of a defaced series (uncompressed), set RVF NO
};

// `instances` must be fully loaded.
SeriesFaceReport deface_series(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors,
                               const DefaceOptions& options = {});

// Only the verification: renders and detectors on the series as it is (any tool's output).
SeriesFaceReport check_series(const std::vector<DcmDataset*>& instances, const FaceDetectors& detectors);

std::string_view outcome_name(SeriesFaceOutcome outcome);

}  // namespace radveil::face
