#include "pixels/filled_gap.h"

#include <algorithm>
#include <cstdint>
#include <opencv2/core.hpp>

#include "pixels/text_regions.h"

namespace radveil::pixels {

cv::Rect trimmed_to_its_marks(const cv::Rect& fill, const cv::Mat& ink) {
  const cv::Rect row = fill & cv::Rect(0, 0, ink.cols, ink.rows);
  if (row.area() <= 0) return fill;
  cv::Mat columns;
  cv::reduce(ink(row) > 0, columns, 0, cv::REDUCE_MAX, CV_8U);
  const int most_gap = std::max(3, row.height);
  int right = -1;
  for (int x = 0; x < row.width && x - std::max(right, 0) <= most_gap; ++x)
    if (columns.at<std::uint8_t>(0, x)) right = x;
  if (right < 0) return fill;
  return cv::Rect(row.x, row.y, std::min(row.width, right + 1 + TextRegionParams{}.margin), row.height);
}

}  // namespace radveil::pixels
