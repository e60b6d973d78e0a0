#pragma once
// The colours of a PALETTE COLOR image: plain or segmented Red/Green/Blue lookup tables
// (PS3.3 C.7.6.3.1.5-6, C.7.9.2), reduced to 8-bit BGR for rendering.
#include <dcmtk/dcmdata/dctk.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

namespace radveil::pixels {

struct Palette {
  std::vector<cv::Vec3b> colours;  // index - first_mapped -> BGR
  std::int64_t first_mapped = 0;   // stored value of the first entry
};

// Throws QuarantineError("unsupported-pixel-format", ...) when the tables are missing or malformed.
Palette read_palette(DcmDataset& dataset);

}  // namespace radveil::pixels
