#include "face/defacer.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <opencv2/imgproc.hpp>


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
cv::Mat dilated(const cv::Mat& map, double radius_mm) {  // the largest value within the radius (1 mm cells)
  const int diameter = 2 * static_cast<int>(std::ceil(radius_mm)) + 1;
  cv::Mat out;
  cv::dilate(map, out, cv::getStructuringElement(cv::MORPH_ELLIPSE, {diameter, diameter}));
  return out;
}
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
      const double y = surface.at(eye[0] + kSkinLayerEyeRadiusMm * std::cos(t), eye[2] + kSkinLayerEyeRadiusMm * std::sin(t));
      if (!std::isnan(y)) limit = std::max(limit, y);
    }
    for (int row = 0; row < skin.rows; ++row)
      for (int col = 0; col < skin.cols; ++col) {
        float& y = skin.at<float>(row, col);
        if (!std::isnan(y) && std::hypot(surface.x0 + col - eye[0], surface.z_top - row - eye[2]) < kSkinLayerEyeRadiusMm)
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

// The skin layer's floor (see kSkinLayerMm): per (x, z), the y it is taken off to; NaN outside.
cv::Mat skin_layer_floor(const FaceLandmarks& face, const FrontalSurface& surface, const CutPlane& plane,
                         const cv::Mat& skin_bounded, double voxel_mm) {
  const double x_mid = face.nose_tip[0], z_bottom = face.nose_tip[2] - kSkinLayerBelowNoseMm;
  const double z_top = std::min(plane.z_top, face.nose_tip[2] + kSkinLayerAboveNoseMm);
  // How far (x, z) lies outside the face region: the layer thins by 1 mm per mm out there.
  auto outside = [&](double x, double z) {
    return std::max(0.0, std::abs(x - x_mid) - kSkinLayerHalfWidthMm) + std::max(0.0, z - z_top) +
           std::max(0.0, z_bottom - z);
  };
  // Only the face region and its margin: beyond it, where a frontal ray grazes the side or the
  // top of the head, the skin jumps far back.
  cv::Mat skin = skin_bounded.clone();
  for (int row = 0; row < skin.rows; ++row)
    for (int col = 0; col < skin.cols; ++col)
      if (outside(surface.x0 + col, surface.z_top - row) >= CutPlane::kBevelMm)
        skin.at<float>(row, col) = std::numeric_limits<float>::quiet_NaN();
  cv::Mat patched = skin.clone();  // no skin: as far forward as can be, so no dilation picks it
  cv::patchNaNs(patched, -1e6);
  // The deepest skin within the smoothing radius (a dilation): a ridge narrower than twice that
  // does not print, a dent only widens, and a coarse voxel is cut as deep as its neighbours'
  // interpolation shows.
  const cv::Mat deepest = dilated(patched, std::max(kSkinLayerSmoothingMm, voxel_mm));
  const cv::Mat& raw = surface.y_surface;
  cv::Mat floor(raw.size(), CV_32FC1, cv::Scalar(std::numeric_limits<float>::quiet_NaN()));
  for (int row = 0; row < raw.rows; ++row)
    for (int col = 0; col < raw.cols; ++col) {
      const float y = raw.at<float>(row, col);
      if (std::isnan(y) || std::isnan(skin.at<float>(row, col))) continue;
      const double x = surface.x0 + col, z = surface.z_top - row;
      const double behind_plane = plane.depth_behind({x, 0, z});  // at y = 0: minus the plane's y
      if (std::isnan(behind_plane)) continue;
      const double within = z > face.nose_tip[2] + kNearBrainAboveNoseMm ? kSkinLayerNearBrainMm : kSkinLayerMaxMm;
      const double deepest_floor = std::min({deepest.at<float>(row, col) + kSkinLayerMm,
                                             deepest_within(skin, row, col, within),
                                             -behind_plane + kSkinLayerBehindPlaneMm});
      const double thickness = deepest_floor - y - outside(x, z);
      if (thickness > 0) floor.at<float>(row, col) = static_cast<float>(y + thickness);
    }
  return floor;
}
}  // namespace

FaceCut plan_face_cut(const FaceLandmarks& face, const FrontalSurface& surface, double voxel_mm) {
  FaceCut cut{plan_cut(face, surface), surface, surface};
  const cv::Mat skin = skin_with_eyes_bounded(face, surface);
  cut.reach.y_surface = reach_near_brain(face, surface, cut.plane, skin);
  cut.layer_floor.y_surface = skin_layer_floor(face, surface, cut.plane, skin, voxel_mm);
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
