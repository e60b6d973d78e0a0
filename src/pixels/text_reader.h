#pragma once
// OCR of candidate regions (Tesseract with Debian's English data): a candidate box is text only
// if Tesseract reads characters in it with some confidence. Nothing is downloaded.
#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace radveil::pixels {

struct ReadText {
  cv::Rect box;          // in frame coordinates
  std::string text;      // what was read (may be partly wrong; never logged)
  double confidence = 0; // mean word confidence, 0-100
};

class TextReader {
 public:
  // Throws std::runtime_error when Tesseract or its English data is missing.
  TextReader();
  ~TextReader();

  // Reads each candidate box of `frame` (CV_8UC1 or CV_8UC3); returns those that hold text (at
  // least kMinCharacters letters or digits read with `min_confidence`).
  std::vector<ReadText> read(const cv::Mat& frame, const std::vector<cv::Rect>& candidates,
                             double min_confidence = kMinConfidence) const;

  // Tesseract's own page layout analysis: the text lines it sees anywhere in `frame`. A second
  // detector, independent of the pre-pass, for the second look at a redacted frame.
  std::vector<cv::Rect> find_lines(const cv::Mat& frame) const;

  static constexpr double kMinConfidence = 50;  // mean word confidence for a box to count as text
  static constexpr int kMinCharacters = 2;      // letters or digits read

 private:
  struct Engines;
  class Lease;
  std::unique_ptr<Engines> engines_;
};

}  // namespace radveil::pixels
