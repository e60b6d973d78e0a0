#pragma once
// Test support: frames shaped like the public de-identification sets that defeated the cleaner's
// own generator (JohnSnowLabs dicom-deid-dataset: TCIA images rescaled to 0-255 in 16-bit storage,
// a patient's fields burned in by an export tool). Bold DejaVu text, anti-aliased, at the frame's
// own extreme value, over the kinds of ground that hid it: a mammogram's speckle that reaches
// nearly as bright as the text, a 256x256 MR with 5 px letters, black letters over a CT body
// saturated to white, black bold letters over a radiograph whose grain has edges as strong as
// theirs. CI has no network; these keep the failure shapes in the suite.
#include <dcmtk/dcmdata/dctk.h>

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace radveil::test {

enum class OverlayGround { MammogramSpeckle, SmallMr, SaturatedCt, RadiographGrain, NoisyAirCt };

struct OverlayFrame {
  std::unique_ptr<DcmDataset> dataset;  // MONOCHROME2, 16 bits allocated and stored, values 0-255
  std::vector<cv::Mat> line_truth;      // per burned line: the frame-sized mask of its text pixels
  std::vector<cv::Rect> line_boxes;     // per burned line: its bounding box
};

// The patient fields an export tool burns in ("Name: DOE JOHN", ...), matching planted_identity().
const std::vector<std::string>& overlay_lines();

// A frame of `ground` with overlay_lines() burned in at `pixel_height`, from `origin` down;
// `seed` varies the noise.
OverlayFrame overlay_frame(OverlayGround ground, int pixel_height, cv::Point origin, unsigned seed);

}  // namespace radveil::test
