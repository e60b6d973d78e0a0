// A value machines drew text with stands out of a frame's histogram as a spike above the smooth
// spread of the anatomy around it; quantised images hold whole regions at one value, and those
// are regions, not strokes.
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "pixels/ink_values.h"

using radveil::pixels::drawn_as_strokes;
using radveil::pixels::ink_values;

namespace {
// Pixel counts of a smooth anatomy-like spread of values from lo (a wide bell).
std::vector<std::uint32_t> smooth_histogram(std::size_t values) {
  std::vector<std::uint32_t> counts(values);
  for (std::size_t i = 0; i < values; ++i) {
    const double x = (static_cast<double>(i) - values / 2.0) / (values / 5.0);
    counts[i] = static_cast<std::uint32_t>(400 * std::exp(-x * x / 2) + 3);
  }
  return counts;
}
}  // namespace

TEST(InkValues, AValueThousandsOfPixelsShareInsideTheAnatomysRangeIsInk) {
  std::vector<std::uint32_t> counts = smooth_histogram(2000);
  counts[1700] += 1500;  // text at a value the anatomy also holds, 1,500 pixels of it
  EXPECT_EQ(ink_values(counts, -1000), std::vector<std::int64_t>{700});
}

TEST(InkValues, ASmoothSpreadHasNoInk) {
  EXPECT_TRUE(ink_values(smooth_histogram(2000), 0).empty());
  // Values of an image scaled by two: every other value is empty, and the held ones are no spikes.
  std::vector<std::uint32_t> comb = smooth_histogram(2000);
  for (std::size_t i = 1; i < comb.size(); i += 2) comb[i] = 0;
  EXPECT_TRUE(ink_values(comb, 0).empty());
}

TEST(InkValues, TheExtremesAreNotInk) {
  std::vector<std::uint32_t> counts = smooth_histogram(500);
  counts.front() += 50000;  // padding, black redactions
  counts.back() += 5000;    // saturation
  EXPECT_TRUE(ink_values(counts, 0).empty());
}

TEST(InkValues, AFewPixelsAreNotEnoughToWriteWith) {
  std::vector<std::uint32_t> counts(1000, 0);
  counts[500] = 12;
  EXPECT_TRUE(ink_values(counts, 0).empty());
}

TEST(InkValues, TextIsDrawnAsStrokesAndAnOrganIsNot) {
  cv::Mat text = cv::Mat::zeros(200, 400, CV_8UC1);
  cv::putText(text, "DOE JOHN 4242424", {10, 60}, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(255), 3);
  cv::putText(text, "DOB 1962-03-14", {10, 140}, cv::FONT_HERSHEY_PLAIN, 1.0, cv::Scalar(255), 1);
  EXPECT_TRUE(drawn_as_strokes(text));
  cv::Mat organ = cv::Mat::zeros(200, 400, CV_8UC1);
  cv::ellipse(organ, {200, 100}, {80, 50}, 0, 0, 360, cv::Scalar(255), -1);
  EXPECT_FALSE(drawn_as_strokes(organ));
  EXPECT_FALSE(drawn_as_strokes(cv::Mat::zeros(10, 10, CV_8UC1)));
}
