#pragma once
// Which stored values of a monochrome frame are ink? Machines draw burned-in text with one value
// (a scanner's annotation grey, a label's white). Where that value lies inside the anatomy's
// range, a window shows the text only faintly; but thousands of pixels share exactly that value,
// while the values around it are held by the smooth spread of the anatomy. Such a spike in the
// frame's histogram is evidence of drawn marks whatever their contrast; the marks themselves are
// then judged like any others (rows of characters, OCR).
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

namespace radveil::pixels {

// `counts[i]` is how many pixels hold the value `lo + i`. Returns at most a few values strictly
// between the lowest and the highest (the extremes are padding, black redactions, saturation)
// that stand far above their neighbours' counts, most striking first.
std::vector<std::int64_t> ink_values(const std::vector<std::uint32_t>& counts, std::int64_t lo);

// Whether the pixels of `mask` (CV_8UC1, non-zero = holds the value) are strokes, as ink is,
// rather than regions: a segmented or quantised image holds whole organs at one value.
bool drawn_as_strokes(const cv::Mat& mask);

// The strokes among the pixels of `mask` (CV_8UC1) holding one of the frame's extreme values:
// the connected marks no taller than a line of text of which no part is solid (nothing survives
// an opening by a square thicker than any stroke). Software that burns text into an image often
// draws it at the darkest or brightest value the image holds (white over a mammogram's speckle,
// black over a saturated body): the extremes are padding and saturation too, so the value cannot
// be judged as a whole as `drawn_as_strokes` does; its solid regions are dropped mark by mark,
// and its strokes kept.
cv::Mat stroke_marks(const cv::Mat& mask);

}  // namespace radveil::pixels
