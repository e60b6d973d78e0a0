#pragma once
// Depth-shaded renders of a volume's skin surface from around the front of the head, the way a
// person (or a face-recognition service) would see a 3D reconstruction. Rays run in patient
// coordinates (anterior is -y, superior +z), so any slice orientation renders upright.
#include <opencv2/core.hpp>

#include "face/volume.h"

namespace radveil::face {

struct View {
  double yaw_deg = 0;    // turning the head to the patient's left (+) or right (-)
  double pitch_deg = 0;  // tilting the chin up (+) or down (-)
};

// Frontal, ±15°, ±30° yaw, ±20° pitch, and four diagonal views: nine in all.
const std::vector<View>& standard_views();

struct Rendering {
  cv::Mat image;  // CV_8UC1, shaded surface; 0 where the ray met nothing
  cv::Mat depth;  // CV_32FC1, distance in mm from the view plane; -1 where nothing was hit
  double mm_per_pixel = 1;
};

class SurfaceRenderer {
 public:
  // `threshold` separates tissue from air, in the volume's units (CT: HU).
  SurfaceRenderer(const Volume& volume, float threshold);
  Rendering render(const View& view) const;
  const Vec3& center() const { return center_; }
  double radius() const { return radius_; }

 private:
  float value_at(const Vec3& p) const;
  const Volume& volume_;
  float threshold_;
  Vec3 center_{};
  double radius_ = 100;
  double step_mm_ = 1;
};

// A threshold between air and skin: CT -400 HU; otherwise from the statistics of the volume's
// border (air) and its bright tissue.
float skin_threshold(const Volume& volume, bool is_ct);

}  // namespace radveil::face
