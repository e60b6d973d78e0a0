#pragma once
// A block of text lines with a line's worth of gap between two redacted lines: the line between
// lost its marks to the anatomy (a name over an MR's bright rim), and the gap is filled
// (burned_in_text.cpp). How far along its row the fill goes is decided here.
#include <opencv2/core.hpp>

namespace radveil::pixels {

// A block's gap filled with a line goes from the block's edge only as far along the row as marks
// go on in the ink, a letter's gap apart (an "Age: 76" between a long name and a birth date is
// short: the whole gap blacked out lung and fat beside it); where no mark starts the row at the
// block's edge, its letters went into the anatomy, and the whole gap goes.
// `fill` is the gap, from the block's left edge to its widest line; `ink` (CV_8UC1, non-zero =
// ink) is the frame's ink alone. Returns the part of `fill` to black out.
cv::Rect trimmed_to_its_marks(const cv::Rect& fill, const cv::Mat& ink);

}  // namespace radveil::pixels
