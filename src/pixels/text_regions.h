#pragma once
// The fast pre-pass of Clean Pixel Data: where in a frame can there be text? Burned-in text is
// small, high-contrast strokes in rows; anatomy and speckle are not. Finds candidate boxes so
// that OCR (and redaction) only look where text can be. Works on an 8-bit rendering of a frame.
#include <opencv2/core.hpp>

#include <vector>

namespace radveil::pixels {

struct TextRegionParams {
  int min_height = 5;        // px: smaller strokes are not readable text
  int max_height = 60;       // px: 40 px fonts with ascenders and descenders
  int margin = 3;            // px added around each box
  double min_contrast = 60;  // grey levels between a stroke and its surroundings
};

// Where strokes of either polarity are: the top-hat of the brightest channel and the black-hat of
// the darkest, computed once per rendering and shared by the looks at different contrasts.
struct StrokeMaps {
  cv::Mat bright, dark;
};
StrokeMaps stroke_maps(const cv::Mat& frame);

// Candidate text boxes in `frame` (CV_8UC1 or CV_8UC3), merged where they overlap.
std::vector<cv::Rect> find_text_regions(const cv::Mat& frame, const TextRegionParams& params = {});
std::vector<cv::Rect> find_text_regions(const StrokeMaps& maps, const TextRegionParams& params = {});


}  // namespace radveil::pixels
