// The text pre-pass finds text of every size a person can read, in any colour and polarity,
// and finds nothing on anatomy.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <random>

#include "pixels/text_regions.h"

using radveil::pixels::find_text_regions;

namespace {

// A noisy, ultrasound-like background with a smooth bright blob.
cv::Mat background(int rows, int cols, bool light, unsigned seed) {
  cv::Mat m(rows, cols, CV_8UC3);
  cv::randn(m, cv::Scalar::all(light ? 200 : 40), cv::Scalar::all(12));
  cv::GaussianBlur(m, m, cv::Size(5, 5), 0);
  cv::ellipse(m, {cols / 2, rows / 2}, {cols / 5, rows / 6}, 0, 0, 360, cv::Scalar::all(light ? 160 : 110), -1);
  cv::GaussianBlur(m, m, cv::Size(21, 21), 0);
  std::mt19937 rng(seed);
  (void)rng;
  return m;
}

struct Coverage {
  std::size_t text_pixels = 0, covered = 0;
};

Coverage render_and_find(bool light_background, const cv::Scalar& colour, int font, double pixel_height) {
  cv::Mat frame = background(480, 640, light_background, 1);
  cv::Mat truth = cv::Mat::zeros(frame.size(), CV_8UC1);
  const std::vector<std::string> lines = {"DOE^JOHN", "ID 4242424", "1962-03-14", "ST ELSEWHERE"};
  const double scale = cv::getFontScaleFromHeight(font, static_cast<int>(pixel_height), 1);
  int y = 20;
  for (const auto& text : lines) {
    int baseline = 0;
    const cv::Size size = cv::getTextSize(text, font, scale, 1, &baseline);
    y += size.height + baseline + 8;
    if (y >= frame.rows - 5) break;
    const cv::Point at(15 + (y * 7) % 200, y);
    cv::putText(frame, text, at, font, scale, colour, 1, cv::LINE_AA);
    cv::putText(truth, text, at, font, scale, cv::Scalar(255), 1, cv::LINE_AA);
  }
  cv::threshold(truth, truth, 127, 255, cv::THRESH_BINARY);
  cv::Mat boxes = cv::Mat::zeros(frame.size(), CV_8UC1);
  for (const auto& r : find_text_regions(frame)) boxes(r).setTo(255);
  Coverage c;
  c.text_pixels = static_cast<std::size_t>(cv::countNonZero(truth));
  c.covered = static_cast<std::size_t>(cv::countNonZero(truth & boxes));
  return c;
}

}  // namespace

TEST(TextRegions, FindAtLeast95PercentOfTextPixelsAtEverySizeFontPolarityAndColour) {
  const int fonts[] = {cv::FONT_HERSHEY_SIMPLEX, cv::FONT_HERSHEY_PLAIN, cv::FONT_HERSHEY_DUPLEX,
                       cv::FONT_HERSHEY_COMPLEX, cv::FONT_HERSHEY_TRIPLEX};
  struct Scheme {
    bool light_background;
    cv::Scalar colour;
    const char* name;
  };
  const Scheme schemes[] = {{false, cv::Scalar(255, 255, 255), "white on dark"},
                            {true, cv::Scalar(0, 0, 0), "black on light"},
                            {false, cv::Scalar(0, 255, 255), "yellow on dark"},
                            {false, cv::Scalar(255, 128, 0), "blue on dark"}};
  std::size_t text = 0, covered = 0;
  for (int font : fonts)
    for (const auto& s : schemes)
      for (double px : {10.0, 14.0, 20.0, 28.0, 40.0}) {
        const Coverage c = render_and_find(s.light_background, s.colour, font, px);
        text += c.text_pixels;
        covered += c.covered;
        EXPECT_GE(c.covered, c.text_pixels * 9 / 10) << s.name << " font " << font << " " << px << " px";
      }
  const double share = static_cast<double>(covered) / static_cast<double>(text);
  std::printf("text pixels inside boxes: %.2f%% of %zu\n", 100 * share, text);
  EXPECT_GE(share, 0.95);
}

TEST(TextRegions, FindNothingOnAnatomy) {
  // A CT-like slice: a bright ring (skull), soft tissue with noise, smooth edges.
  cv::Mat slice(512, 512, CV_8UC1, cv::Scalar(0));
  cv::ellipse(slice, {256, 256}, {200, 230}, 0, 0, 360, cv::Scalar(230), 14);
  cv::ellipse(slice, {256, 256}, {186, 216}, 0, 0, 360, cv::Scalar(90), -1);
  cv::Mat noise(slice.size(), CV_8UC1);
  cv::randn(noise, 0, 6);
  slice += noise;
  cv::GaussianBlur(slice, slice, cv::Size(3, 3), 0);
  EXPECT_TRUE(find_text_regions(slice).empty());
}
