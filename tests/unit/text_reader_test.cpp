// The OCR stage reads rendered identifiers in the boxes the pre-pass finds, and does not call a
// text-free region text.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "pixels/text_reader.h"
#include "pixels/text_regions.h"

using namespace radveil::pixels;

namespace {
const TextReader& reader() {
  static const TextReader kReader;
  return kReader;
}
}  // namespace

TEST(TextReader, ReadsRenderedIdentifiersInTheCandidateBoxes) {
  cv::Mat frame(240, 480, CV_8UC3, cv::Scalar(25, 25, 25));
  cv::putText(frame, "DOE JOHN", {20, 60}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(255, 255, 255), 2, cv::LINE_AA);
  cv::putText(frame, "MRN 4242424", {20, 140}, cv::FONT_HERSHEY_DUPLEX, 0.7, cv::Scalar(0, 255, 255), 1, cv::LINE_AA);
  const auto text = reader().read(frame, find_text_regions(frame));
  std::string all;
  for (const auto& t : text) all += t.text + " ";
  EXPECT_NE(all.find("DOE"), std::string::npos) << all;
  EXPECT_NE(all.find("JOHN"), std::string::npos) << all;
  EXPECT_NE(all.find("4242424"), std::string::npos) << all;
}

TEST(TextReader, DoesNotCallTextFreeRegionsText) {
  cv::Mat frame(240, 480, CV_8UC1, cv::Scalar(30));
  cv::rectangle(frame, {40, 40, 120, 60}, cv::Scalar(220), 2);       // a calliper box
  cv::line(frame, {200, 180}, {420, 182}, cv::Scalar(230), 1);       // a scale bar
  cv::circle(frame, {300, 90}, 25, cv::Scalar(180), -1);             // a bright blob
  const std::vector<cv::Rect> candidates = {{30, 30, 140, 80}, {190, 170, 240, 20}, {270, 60, 60, 60}};
  EXPECT_TRUE(reader().read(frame, candidates).empty());
}
