// A gap filled between two redacted lines of a block goes along its row only as far as the ink's
// marks go on from the block's edge: a short line between two long ones ("Age: 76" between a name
// and a birth date) takes a short box, and the anatomy beside it stays.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "pixels/filled_gap.h"

using radveil::pixels::trimmed_to_its_marks;

namespace {

constexpr int kMargin = 3;  // TextRegionParams::margin

// Ink alone, white on black, 300 px wide: the gap between two lines is rows 100-111, from x = 50
// (the block's left edge) to x = 250 (its widest line).
cv::Mat no_ink() { return cv::Mat::zeros(200, 300, CV_8UC1); }
const cv::Rect kGap(50, 100, 200, 12);

// A letter of the short line: a 5x8 mark standing in the gap's rows.
void letter_at(cv::Mat& ink, int x) { cv::rectangle(ink, cv::Rect(x, 102, 5, 8), cv::Scalar(255), cv::FILLED); }

}  // namespace

TEST(FilledGap, AShortLineTakesABoxAsLongAsItsLettersAndAMargin) {
  cv::Mat ink = no_ink();
  for (int x : {51, 58, 65, 78, 85}) letter_at(ink, x);  // "Age 76": a word space between 65 and 78
  const cv::Rect kept = trimmed_to_its_marks(kGap, ink);
  EXPECT_EQ(kept.x, 50);
  EXPECT_EQ(kept.y, 100);
  EXPECT_EQ(kept.height, 12);
  EXPECT_EQ(kept.x + kept.width, 90 + kMargin) << "the last letter ends at x = 89";
}

TEST(FilledGap, MarksFartherAlongThanALettersGapAreNotTheLinesOwn) {
  cv::Mat ink = no_ink();
  letter_at(ink, 51);
  letter_at(ink, 58);
  letter_at(ink, 200);  // a speck of the anatomy's ink far along the row
  const cv::Rect kept = trimmed_to_its_marks(kGap, ink);
  EXPECT_EQ(kept.x + kept.width, 63 + kMargin);
}

TEST(FilledGap, ARowWithNoMarkAtTheBlocksEdgeIsFilledWhole) {
  // Its letters went into the anatomy: nothing tells how long the line was.
  EXPECT_EQ(trimmed_to_its_marks(kGap, no_ink()), kGap);
  cv::Mat ink = no_ink();
  letter_at(ink, 150);  // a mark only far from the edge
  EXPECT_EQ(trimmed_to_its_marks(kGap, ink), kGap);
}

TEST(FilledGap, ALineAsLongAsTheGapKeepsItWhole) {
  cv::Mat ink = no_ink();
  for (int x = 51; x < 250; x += 7) letter_at(ink, x);
  EXPECT_EQ(trimmed_to_its_marks(kGap, ink), kGap);
}

TEST(FilledGap, AGapPartlyBeyondTheFrameIsTrimmedToTheFrame) {
  cv::Mat ink = no_ink();
  const cv::Rect beyond(250, 100, 100, 12);  // runs 50 px past the right edge
  letter_at(ink, 251);
  const cv::Rect kept = trimmed_to_its_marks(beyond, ink);
  EXPECT_EQ(kept.x + kept.width, 256 + kMargin);
}
