#include "face/defacer.h"

#include <cmath>

#include "face/brain_region.h"

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

DefaceResult apply_cut(Volume& volume, const CutPlane& cut, const FrontalSurface& surface, const FaceLandmarks& face,
                       float air, float tissue, float threshold) {
  DefaceResult result;
  result.changed.assign(volume.data.size(), 0);
  for (int k = 0; k < volume.nz; ++k)
    for (int j = 0; j < volume.ny; ++j)
      for (int i = 0; i < volume.nx; ++i) {
        const Vec3 p = volume.affine.to_patient(i, j, k);
        const double depth = cut.depth_behind(p);
        if (std::isnan(depth) || depth >= kClosedSlabMm) continue;
        if (in_keep_out_region(p, surface, face)) continue;
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
