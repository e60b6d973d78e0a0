// Straight lines longer than any character are told from text by an opening with a line; the fast
// opening must keep exactly what OpenCV's does on the same mask with nothing around it.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "pixels/line_opening.h"

using radveil::pixels::LineDirection;
using radveil::pixels::opened_by_line;

namespace {
// OpenCV's opening by a 1×length line, on the mask framed by `length` unset pixels each side (so
// that outside counts as unset, as it does for opened_by_line).
cv::Mat reference_opening(const cv::Mat& mask, int length, LineDirection direction) {
  cv::Mat framed, opened;
  cv::copyMakeBorder(mask, framed, length, length, length, length, cv::BORDER_CONSTANT, 0);
  const cv::Size line = direction == LineDirection::Across ? cv::Size(length, 1) : cv::Size(1, length);
  cv::morphologyEx(framed, opened, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, line));
  return opened(cv::Rect(length, length, mask.cols, mask.rows)).clone();
}

int differing_pixels(const cv::Mat& a, const cv::Mat& b) { return cv::countNonZero(a != b); }
}  // namespace

TEST(LineOpening, KeepsRunsAtLeastAsLongAsTheLineAndDropsShorterOnes) {
  cv::Mat mask = cv::Mat::zeros(40, 200, CV_8UC1);
  mask.row(5).colRange(10, 131).setTo(255);  // 121 px: a label's border
  mask.row(20).colRange(10, 130).setTo(255);  // 120 px: one short of the line
  mask(cv::Rect(150, 0, 2, 40)).setTo(255);  // a vertical bar 40 px tall
  const cv::Mat across = opened_by_line(mask, 121, LineDirection::Across);
  EXPECT_EQ(cv::countNonZero(across.row(5)), 121);
  EXPECT_EQ(cv::countNonZero(across.row(20)), 0);
  EXPECT_EQ(cv::countNonZero(across.colRange(150, 152)), 0);
  const cv::Mat down = opened_by_line(mask, 40, LineDirection::Down);
  EXPECT_EQ(cv::countNonZero(down), 80);
  EXPECT_EQ(cv::countNonZero(opened_by_line(mask, 41, LineDirection::Down)), 0);
}

TEST(LineOpening, AgreesWithOpenCVsOpeningOnRandomMasksOfEveryDensity) {
  cv::theRNG().state = 20261127;
  for (const double density : {0.05, 0.5, 0.9, 0.99}) {
    // Odd lengths: OpenCV anchors an even line off centre and does not reflect it for the dilation,
    // so its "opening" by an even line is shifted by a pixel; opened_by_line is a true opening.
    for (const int length : {1, 3, 7, 61, 63, 121, 301}) {
      cv::Mat noise(97, 143, CV_32F), mask;
      cv::randu(noise, 0, 1);
      mask = noise < density;
      for (const LineDirection direction : {LineDirection::Across, LineDirection::Down})
        EXPECT_EQ(differing_pixels(opened_by_line(mask, length, direction), reference_opening(mask, length, direction)), 0)
            << "density " << density << ", length " << length;
    }
  }
}

TEST(LineOpening, WorksOnAWindowOfALargerMask) {
  cv::Mat mask = cv::Mat::zeros(100, 100, CV_8UC1);
  mask.row(50).setTo(255);
  const cv::Mat window = mask(cv::Rect(20, 40, 50, 20));  // the row crosses it, 50 px long
  EXPECT_EQ(cv::countNonZero(opened_by_line(window, 50, LineDirection::Across)), 50);
  EXPECT_EQ(cv::countNonZero(opened_by_line(window, 51, LineDirection::Across)), 0);
}
