#include "face/brain_region.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace radveil::face {

namespace {
bool behind_skin_above(const Vec3& p, const FrontalSurface& surface, double lowest_z, double depth) {
  if (p[2] < lowest_z) return false;
  const double skin = surface.at(p[0], p[2]);
  return !std::isnan(skin) && p[1] - skin >= depth;
}
}  // namespace

bool in_brain_region(const Vec3& p, const FrontalSurface& surface, const FaceLandmarks& face) {
  return behind_skin_above(p, surface, face.brow_z - kBrainBelowBrowMm, kBrainDepthMm);
}

bool in_keep_out_region(const Vec3& p, const FrontalSurface& surface, const FaceLandmarks& face,
                        const KeepOutMargins& margins) {
  // From the lowest brow a face can have: the ridge search is what varies most between scans.
  const double brow = std::min(face.brow_z, face.nose_tip[2] + kLowestBrowAboveNoseMm);
  const double skin = surface.at(p[0], p[2]);
  if (std::isnan(skin)) return false;
  const double depth = p[1] - skin, min_depth = kBrainDepthMm - margins.shallower_mm;
  if (depth < min_depth) return false;
  // The head's pitch is the scanner's (head_frame.h): turned by up to the allowance about the
  // brow, a point of the brain's lower edge comes down by its depth behind the brow's skin times
  // the sine. Behind the brow's skin, not the skin in front of the point: the brow is placed from
  // the nose tip, and the skin in front of a point under the brow is the orbit's (the lower edge
  // measured from there missed points 60 mm behind the nose tip by 14 mm on a head pitched 12°).
  const double sin_pitch = std::sin(margins.pitch_deg * std::numbers::pi / 180);
  double brow_skin = surface.at(face.nose_tip[0], brow);
  if (std::isnan(brow_skin)) brow_skin = face.nose_tip[1] + kBrowBehindNoseMm;
  const double tilt = std::max(0.0, p[1] - brow_skin) * sin_pitch;
  return p[2] >= brow - kBrainBelowBrowMm - margins.lower_mm - tilt;
}

std::size_t changed_voxels_in_brain(const Volume& volume, const std::vector<std::uint8_t>& changed,
                                    const FrontalSurface& surface, const FaceLandmarks& face) {
  std::size_t count = 0;
  for (int k = 0; k < volume.nz; ++k)
    for (int j = 0; j < volume.ny; ++j)
      for (int i = 0; i < volume.nx; ++i) {
        if (changed[volume.index(i, j, k)] && in_brain_region(volume.affine.to_patient(i, j, k), surface, face)) ++count;
      }
  return count;
}

}  // namespace radveil::face
