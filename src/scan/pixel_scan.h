#pragma once
// Text burned into the pixels of one instance, found by the same detector, OCR and second look
// as Clean Pixel Data (burned_in_text.h) on every frame, whatever the header says. The scan
// redacts the frames in memory only to learn where the text is; nothing is written. A region is
// reported when OCR reads characters in it on the frame as it was (a drawn-looking region that
// reads as nothing, such as the corner of an ultrasound sector, is blacked out by Clean Pixel
// Data but is no finding).
#include <dcmtk/dcmdata/dctk.h>

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "pixels/text_reader.h"
#include "scan/finding.h"

namespace radveil::scan {

struct FrameWithText {
  std::uint32_t frame = 0;
  std::size_t boxes = 0;
  cv::Mat review;  // the frame as a reviewer sees it, boxes outlined
};

struct PixelScanResult {
  std::vector<Finding> findings;  // no `file` yet
  std::vector<FrameWithText> frames;
  std::uint32_t frames_examined = 0;
};

// `dataset` must hold its Pixel Data (loaded completely); it is decoded in place.
PixelScanResult scan_pixels(DcmDataset& dataset, const pixels::TextReader& reader);

}  // namespace radveil::scan
