#pragma once
// Is there a face on this volume? Renders the skin surface from the standard views and runs both
// detectors on each, and measures the nose on the frontal depth map.
#include <optional>
#include <string>
#include <vector>

#include "face/face_detectors.h"
#include "face/face_geometry.h"
#include "face/surface_render.h"

namespace radveil::face {

struct ViewCheck {
  View view;
  std::vector<Detection> detections;
  cv::Mat image;  // the render, with detections drawn, for people to look at
};

struct FaceCheck {
  std::vector<ViewCheck> views;
  std::size_t views_with_detection = 0;  // views with any detection (for people)
  std::optional<FaceLandmarks> landmarks;
  FrontalSurface surface;
  bool nose_present() const { return landmarks && landmarks->protrusion_mm >= kMinNoseProtrusionMm; }
  // Strong evidence: dlib, or Haar with many neighbours. For deciding that an original has a face.
  bool face_present() const { return views_with(FaceDetectors::kHaarPresentNeighbours, 0.0) > 0; }
  // For deciding that a defaced volume still shows one: a view where dlib scores
  // kDlibRemainsScore, where Haar reaches more neighbours than any faceless surface measured, or
  // where Haar's box at the neighbours that say an original has a face overlaps one of dlib's
  // (two detectors agreeing on the place). Calibration in face_detectors.h.
  bool face_remains() const { return views_remaining() > 0; }
  std::size_t views_remaining() const;
  // Views where dlib scores at least `dlib_score` or Haar reaches `haar_neighbours`.
  std::size_t views_with(int haar_neighbours, double dlib_score) const;
};

FaceCheck check_face(const Volume& volume, float threshold, const FaceDetectors& detectors);

}  // namespace radveil::face
