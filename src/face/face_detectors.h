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
  // Calibrated on both sides (original and defaced renders of the corpus heads, and a synthetic
  // head with and without a face). Haar: a plain head outline reaches about 12 neighbours, the
  // real faces 9 to 47. dlib: the real faces score up to 0.33 (coarse CT) and 1.06 (MR); defaced
  // real heads give no dlib detection, a defaced smooth synthetic head up to 0.28.
  // An original has a face with any dlib detection or Haar >= 20 neighbours; a defaced volume
  // still shows one with dlib >= 0.3 or Haar >= 13.
  static constexpr int kHaarPresentNeighbours = 20;
  static constexpr int kHaarRemainsNeighbours = 13;
  static constexpr double kDlibRemainsScore = 0.3;

 private:
  struct Models;
  std::unique_ptr<Models> models_;
};

}  // namespace radveil::face
