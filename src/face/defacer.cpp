#include "face/defacer.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace radveil::face {

namespace {
constexpr double kAboveBrowMm = 5;           // the cut's top edge, above the brow ridge
constexpr double kUnderForeheadSkinMm = 6;   // the plane's depth under the skin at the brow
constexpr double kBehindNoseTipMm = 32;      // the plane's depth behind the nose tip
constexpr double kBehindChinMm = 20;         // the plane's depth behind the chin
constexpr double kBehindEyesMm = 10;         // the plane's depth behind the skin over each eye
}  // namespace

CutPlane plan_cut(const FaceLandmarks& face, const FrontalSurface& surface) {
  CutPlane cut;
  cut.nose_tip = face.nose_tip;
  cut.z_top = face.brow_z + kAboveBrowMm;
  cut.half_width = face.face_half_width_mm;
  double forehead = surface.at(face.nose_tip[0], cut.z_top);
  if (std::isnan(forehead)) forehead = face.nose_tip[1] + 20;
  cut.y_at_top = std::max(forehead + kUnderForeheadSkinMm, face.nose_tip[1] + 10);
  const double y_at_nose = face.nose_tip[1] + kBehindNoseTipMm;
  // Forward as well as back: on a forehead that recedes 60 mm behind the nose tip a plane held
  // vertical there passed 75 mm behind the tip and through the orbits into the brain region.
  cut.slope = (y_at_nose - cut.y_at_top) / std::max(1.0, cut.z_top - face.nose_tip[2]);
  // Deep-set eyes lie behind the forehead's line: the plane slopes back enough to pass behind them.
  for (const Vec3& eye : face.eyes)
    if (!std::isnan(eye[1]))
      cut.slope = std::max(cut.slope, (eye[1] + kBehindEyesMm - cut.y_at_top) / std::max(1.0, cut.z_top - eye[2]));
  cut.slope_below_nose = std::max(0.0, cut.slope);
  if (face.chin[1] < 1e8) {
    const double y_at_chin = face.chin[1] + kBehindChinMm;
    cut.slope_below_nose = std::max(cut.slope_below_nose, (y_at_chin - cut.plane_y(face.nose_tip[2])) /
                                                               std::max(1.0, face.nose_tip[2] - face.chin[2]));
  }
  return cut;
}

namespace {
// The deepest y at (row, col) that lies within `radius` mm of the skin (1 mm cells; NaN: none)
// in three dimensions: a dilation of the skin by a ball, whatever the skin's slope.
double deepest_within(const cv::Mat& skin, int row, int col, double radius) {
  const int r = static_cast<int>(std::floor(radius));
  double deepest = -std::numeric_limits<double>::infinity();
  for (int dr = -r; dr <= r; ++dr)
    for (int dc = -r; dc <= r; ++dc) {
      const int rr = row + dr, cc = col + dc, d2 = dr * dr + dc * dc;
      if (rr < 0 || cc < 0 || rr >= skin.rows || cc >= skin.cols || d2 > radius * radius) continue;
      const float y = skin.at<float>(rr, cc);
      if (!std::isnan(y)) deepest = std::max(deepest, y + std::sqrt(radius * radius - d2));
    }
  return deepest;
}

// The frontal skin with each eye taken no deeper than the eye as found or the deepest skin on a
// ring around it (the brow, the cheek, the temple), whichever is deeper: a frontal ray through a
// dark eyeball finds the orbit's back as skin, and a cut measured from that would reach the
// orbit's apex.
cv::Mat skin_with_eyes_bounded(const FaceLandmarks& face, const FrontalSurface& surface) {
  cv::Mat skin = surface.y_surface.clone();
  for (const Vec3& eye : face.eyes) {
    double limit = eye[1];
    for (int a = 0; a < 24; ++a) {
      const double t = a * 2 * std::numbers::pi / 24;
      const double y = surface.at(eye[0] + kEyeRingMm * std::cos(t), eye[2] + kEyeRingMm * std::sin(t));
      if (!std::isnan(y)) limit = std::max(limit, y);
    }
    for (int row = 0; row < skin.rows; ++row)
      for (int col = 0; col < skin.cols; ++col) {
        float& y = skin.at<float>(row, col);
        if (!std::isnan(y) && std::hypot(surface.x0 + col - eye[0], surface.z_top - row - eye[2]) < kEyeRingMm)
          y = std::min(y, static_cast<float>(limit));
      }
  }
  return skin;
}

// kCutNearBrainReachMm: per (x, z) above kNearBrainAboveNoseMm over the nose tip, within the plane's
// region, the deepest y within that distance of the skin.
cv::Mat reach_near_brain(const FaceLandmarks& face, const FrontalSurface& surface, const CutPlane& plane,
                         const cv::Mat& skin) {
  cv::Mat reach(skin.size(), CV_32FC1, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
  for (int row = 0; row < skin.rows; ++row)
    for (int col = 0; col < skin.cols; ++col) {
      const double x = surface.x0 + col, z = surface.z_top - row;
      if (z > face.nose_tip[2] + kNearBrainAboveNoseMm && !std::isnan(plane.depth_behind({x, 0, z})))
        reach.at<float>(row, col) = static_cast<float>(deepest_within(skin, row, col, kCutNearBrainReachMm));
    }
  return reach;
}

}  // namespace

FaceCut plan_face_cut(const FaceLandmarks& face, const FrontalSurface& surface) {
  FaceCut cut{plan_cut(face, surface), surface};
  cut.reach.y_surface = reach_near_brain(face, surface, cut.plane, skin_with_eyes_bounded(face, surface));
  return cut;
}

DefaceResult apply_cut(Volume& volume, const FaceCut& cut, const FrontalSurface& surface,
                       const std::function<bool(const Vec3&)>& keep_out, float air, float tissue, float threshold) {
  DefaceResult result;
  result.changed.assign(volume.data.size(), 0);
  for (int k = 0; k < volume.nz; ++k)
    for (int j = 0; j < volume.ny; ++j)
      for (int i = 0; i < volume.nx; ++i) {
        const Vec3 p = volume.affine.to_patient(i, j, k);
        const double depth = cut.depth_behind(p);
        if (std::isnan(depth) || depth >= kClosedSlabMm) continue;
        if (keep_out(p)) continue;
        float& v = volume.at(i, j, k);
        if (depth < 0) {
          if (v == air) continue;
          if (v > threshold) ++result.tissue_removed;
          v = air;
        } else {
          if (v > threshold) continue;  // tissue behind the plane is never touched
          const double skin = surface.at(p[0], p[2]);
          if (std::isnan(skin) || p[1] <= skin) continue;  // air in front of the face, not a cavity
          v = tissue;
          ++result.cavities_closed;
        }
        result.changed[volume.index(i, j, k)] = 1;
      }
  return result;
}

}  // namespace radveil::face
