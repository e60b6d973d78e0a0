#include "face/face_check.h"

#include <opencv2/imgproc.hpp>

namespace radveil::face {

std::size_t FaceCheck::views_with(int haar_neighbours, double dlib_score) const {
  std::size_t n = 0;
  for (const auto& v : views)
    for (const auto& d : v.detections)
      if (d.score >= (d.detector == "dlib-hog" ? dlib_score : haar_neighbours)) {
        ++n;
        break;
      }
  return n;
}

std::size_t FaceCheck::views_remaining() const {
  std::size_t n = 0;
  for (const auto& v : views) {
    bool remains = false;
    for (const auto& d : v.detections) {
      if (d.detector == "dlib-hog") {
        remains = remains || d.score >= FaceDetectors::kDlibRemainsScore;
        continue;
      }
      if (d.score >= FaceDetectors::kHaarAloneRemainsNeighbours) remains = true;
      if (d.score < FaceDetectors::kHaarPresentNeighbours) continue;
      for (const auto& other : v.detections)
        if (other.detector == "dlib-hog" && (d.box & other.box).area() > 0) remains = true;
    }
    n += remains ? 1 : 0;
  }
  return n;
}

FaceCheck check_face(const Volume& volume, float threshold, const FaceDetectors& detectors) {
  FaceCheck check;
  SurfaceRenderer renderer(volume, threshold);
  const auto& views = standard_views();
  std::vector<Rendering> renders;
  for (const View& view : views) renders.push_back(renderer.render(view));  // each render is parallel
  check.views.resize(views.size());
  cv::parallel_for_(cv::Range(0, static_cast<int>(views.size())), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      ViewCheck& v = check.views[static_cast<std::size_t>(i)];
      v.view = views[static_cast<std::size_t>(i)];
      v.detections = detectors.detect(renders[static_cast<std::size_t>(i)].image, renders[static_cast<std::size_t>(i)].mm_per_pixel);
      cv::cvtColor(renders[static_cast<std::size_t>(i)].image, v.image, cv::COLOR_GRAY2BGR);
      for (const auto& d : v.detections)
        cv::rectangle(v.image, d.box, d.detector == "dlib-hog" ? cv::Scalar(0, 0, 255) : cv::Scalar(0, 200, 255), 2);
    }
  });
  for (const auto& v : check.views) check.views_with_detection += v.detections.empty() ? 0 : 1;
  check.surface = frontal_surface(volume, threshold);
  check.landmarks = find_face_landmarks(check.surface);
  return check;
}

}  // namespace radveil::face
