#include "pixels/line_opening.h"

#include <algorithm>
#include <utility>

namespace radveil::pixels {

// By doubling: the minimum over 2k pixels is the minimum of two minima over k pixels, k apart (and
// a length between two powers of two is two overlapping runs of the lower one). Erosion takes each
// pixel to the minimum of the `length` pixels starting at it; dilation back to the maximum of the
// `length` pixels ending at it.
cv::Mat opened_by_line(const cv::Mat& mask, int length, LineDirection direction) {
  const bool down = direction == LineDirection::Down;
  const int extent = down ? mask.rows : mask.cols;
  const auto span = [down](const cv::Mat& m, int first, int count) {
    return down ? m.rowRange(first, first + count) : m.colRange(first, first + count);
  };
  length = std::clamp(length, 1, extent + 1);
  cv::Mat from = mask.clone(), to(mask.size(), mask.type());
  const auto erode_by = [&](int shift) {
    const int kept = std::max(extent - shift, 0);
    if (kept > 0) {
      cv::Mat out = span(to, 0, kept);
      cv::min(span(from, 0, kept), span(from, extent - kept, kept), out);
    }
    span(to, kept, extent - kept).setTo(0);
    std::swap(from, to);
  };
  const auto dilate_by = [&](int shift) {
    const int kept = std::max(extent - shift, 0);
    if (kept > 0) {
      cv::Mat out = span(to, extent - kept, kept);
      cv::max(span(from, extent - kept, kept), span(from, 0, kept), out);
    }
    span(from, 0, extent - kept).copyTo(span(to, 0, extent - kept));
    std::swap(from, to);
  };
  int k = 1;
  for (; 2 * k <= length; k *= 2) erode_by(k);
  if (k < length) erode_by(length - k);
  k = 1;
  for (; 2 * k <= length; k *= 2) dilate_by(k);
  if (k < length) dilate_by(length - k);
  return from;
}

}  // namespace radveil::pixels
