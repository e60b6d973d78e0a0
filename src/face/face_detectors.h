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
  // Calibrated on both sides (original and defaced renders of the corpus heads, the synthetic
  // head, and generated acquisitions of all three: bench/face-variants).
  // Haar: real faces reach 9 to 49 neighbours, but faceless surfaces come close: a plain head
  // outline about 12, defaced real heads up to 28 (turned, pitched, thick slices), the defaced
  // smooth synthetic head (an egg) up to 40. 20 neighbours says an original has a face (to cut
  // it). After the cut the two sides overlap from 20 to 40 neighbours, so there Haar alone is no
  // evidence either way: a defaced volume is refused where Haar reaches 20 on a box that dlib
  // also detects (any score) or reaches kHaarAloneRemainsNeighbours, above every faceless
  // surface measured.
  // dlib: the real faces score up to 0.33 (coarse CT) and 1.06 (MR), defaced real heads give no
  // dlib detection, a defaced smooth synthetic head up to 0.29 in the defacer's views and above
  // 0.3 from its original's (a few degrees apart). A defaced volume is refused from dlib >= 0.2:
  // a margin under the 0.3 at which the evaluation (bench/face-variants) calls a face found, for
  // views that differ from the original's by the error of the head's axes.
  static constexpr int kHaarPresentNeighbours = 20;
  static constexpr int kHaarAloneRemainsNeighbours = 45;
  static constexpr double kDlibRemainsScore = 0.2;

 private:
  struct Models;
  std::unique_ptr<Models> models_;
};

}  // namespace radveil::face
