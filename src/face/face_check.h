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
  std::size_t views_with_detection = 0;
  std::optional<FaceLandmarks> landmarks;
  FrontalSurface surface;
  bool nose_present() const { return landmarks && landmarks->protrusion_mm >= kMinNoseProtrusionMm; }
  bool detector_found_face() const { return views_with_detection > 0; }
};

FaceCheck check_face(const Volume& volume, float threshold, const FaceDetectors& detectors);

}  // namespace radveil::face
