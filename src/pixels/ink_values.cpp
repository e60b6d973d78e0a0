#include "pixels/ink_values.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace radveil::pixels {
namespace {
constexpr int kNeighbourhood = 16;   // values each side a spike is compared with
constexpr double kSpikeRatio = 5;    // times the neighbours' mean count
constexpr std::uint32_t kMinInkPixels = 40;  // a short word at 9 px
constexpr std::size_t kMostValues = 3;
// Strokes of a 40 px font are at most about 5 px thick: ink survives no opening by a square this
// wide, where a region does.
constexpr int kThickerThanStrokes = 9;
constexpr double kMostSolidShare = 0.1;
constexpr int kTallestMark = 60;  // px: a 40 px font's character with its ascender and descender
}  // namespace

std::vector<std::int64_t> ink_values(const std::vector<std::uint32_t>& counts, std::int64_t lo) {
  struct Spike {
    std::int64_t value;
    double ratio;
  };
  std::vector<Spike> spikes;
  const auto n = static_cast<std::int64_t>(counts.size());
  for (std::int64_t i = 1; i + 1 < n; ++i) {
    const std::uint32_t c = counts[static_cast<std::size_t>(i)];
    if (c < kMinInkPixels) continue;
    double around = 0;
    int values = 0;
    for (std::int64_t j = std::max<std::int64_t>(0, i - kNeighbourhood); j <= std::min(n - 1, i + kNeighbourhood); ++j)
      if (j != i) {
        around += counts[static_cast<std::size_t>(j)];
        ++values;
      }
    // Plus one pixel: a value alone in an empty stretch of the histogram is a spike too.
    const double ratio = c / (around / std::max(1, values) + 1);
    if (ratio >= kSpikeRatio) spikes.push_back({lo + i, ratio});
  }
  std::sort(spikes.begin(), spikes.end(), [](const Spike& a, const Spike& b) { return a.ratio > b.ratio; });
  if (spikes.size() > kMostValues) spikes.resize(kMostValues);
  std::vector<std::int64_t> values;
  for (const Spike& s : spikes) values.push_back(s.value);
  return values;
}

bool drawn_as_strokes(const cv::Mat& mask) {
  const int ink = cv::countNonZero(mask);
  if (ink == 0) return false;
  cv::Mat solid;
  cv::morphologyEx(mask, solid, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kThickerThanStrokes, kThickerThanStrokes)));
  return cv::countNonZero(solid) <= kMostSolidShare * ink;
}

cv::Mat stroke_marks(const cv::Mat& mask) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  // A mark holds a square wider than strokes where the erosion by that square leaves anything of
  // it (the opening's dilation adds nothing to which marks are solid).
  cv::Mat solid;
  cv::erode(mask, solid, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kThickerThanStrokes, kThickerThanStrokes)));
  std::vector<std::uint8_t> keep(static_cast<std::size_t>(n), 1);
  keep[0] = 0;
  for (int i = 1; i < n; ++i)
    if (stats.at<int>(i, cv::CC_STAT_HEIGHT) > kTallestMark) keep[static_cast<std::size_t>(i)] = 0;
  for (int y = 0; y < solid.rows; ++y) {
    const auto* s = solid.ptr<std::uint8_t>(y);
    const int* l = labels.ptr<int>(y);
    for (int x = 0; x < solid.cols; ++x)
      if (s[x]) keep[static_cast<std::size_t>(l[x])] = 0;
  }
  cv::Mat out = cv::Mat::zeros(mask.size(), CV_8UC1);
  for (int y = 0; y < out.rows; ++y) {
    auto* o = out.ptr<std::uint8_t>(y);
    const int* l = labels.ptr<int>(y);
    for (int x = 0; x < out.cols; ++x) o[x] = keep[static_cast<std::size_t>(l[x])] ? 255 : 0;
  }
  return out;
}

}  // namespace radveil::pixels
