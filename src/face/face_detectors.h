#pragma once
// Two independent face detectors run on renders: OpenCV's frontal-face Haar cascade (alt2, many
// neighbours: the permissive default cascade fires on any head outline) and dlib's HOG detector
// with a score threshold. Both ship in Debian packages (opencv-data, libdlib-dev); nothing is
// downloaded.
#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace radveil::face {

struct Detection {
  std::string detector;  // "haar-alt2" or "dlib-hog"
  cv::Rect box;
  double score;          // Haar: neighbour count; dlib: detection confidence
};

class FaceDetectors {
 public:
  // Throws std::runtime_error when a model file is missing.
  FaceDetectors();
  ~FaceDetectors();
  // `mm_per_pixel` is the render's scale: a box narrower than kMinFaceWidthMm is no face (the
  // cascades also fire on small patches of ears and cut surfaces).
  std::vector<Detection> detect(const cv::Mat& gray, double mm_per_pixel) const;

  static constexpr int kHaarMinNeighbours = 8;
  static constexpr double kDlibMinScore = 0.0;
  static constexpr double kMinFaceWidthMm = 100.0;

 private:
  struct Models;
  std::unique_ptr<Models> models_;
};

}  // namespace radveil::face
