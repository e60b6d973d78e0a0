#include "face/brain_region.h"

#include <cmath>

namespace radveil::face {

bool in_brain_region(const Vec3& p, const FrontalSurface& surface, const FaceLandmarks& face) {
  if (p[2] < face.brow_z - kBrainBelowBrowMm) return false;
  const double skin = surface.at(p[0], p[2]);
  return !std::isnan(skin) && p[1] - skin >= kBrainDepthMm;
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
