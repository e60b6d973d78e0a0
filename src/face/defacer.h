#pragma once
// Removes the face: every voxel in front of a smooth cutting plane, within the width of the face
// and below the brow, becomes air. The plane runs from just under the forehead skin at the brow
// down behind the nose tip, lips and chin, sloping backwards, so eyes, nose, lips and chin go
// while the skull vault and the brain behind the face stay untouched. A plane, not a surface that
// follows the skin: a cut that follows the skin would print the face's shape a few mm deeper.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "face/face_geometry.h"
#include "face/volume.h"

namespace radveil::face {

struct CutPlane {
  Vec3 nose_tip;
  double z_top = 0;          // the brow: above it the plane bends forward out of the skin
  double half_width = 0;     // |x - nose x| within this
  double y_at_top = 0;       // the plane's depth at the brow
  // mm further back per mm further down, from the brow to the nose tip's level (negative where
  // the forehead recedes more than the nose stands out: a receding forehead, a head pitched back)
  // and below it (never negative: the lips and the chin lie below the nose, not in front of it).
  double slope = 0, slope_below_nose = 0;
  double plane_y(double z) const {
    const double at = std::min(z, z_top);
    if (at >= nose_tip[2]) return y_at_top + slope * (z_top - at);
    return y_at_top + slope * (z_top - nose_tip[2]) + slope_below_nose * (nose_tip[2] - at);
  }
  // Beyond the brow and the face's sides the plane bends forward at 45 degrees over this margin
  // until it leaves the skin: a hard step there would draw a brow line and a face's outline that
  // detectors read as a face.
  static constexpr double kBevelMm = 20;
  // How far behind the plane `p` is (negative: in front), or NaN outside the face region.
  double depth_behind(const Vec3& p) const {
    const double beyond_side = std::abs(p[0] - nose_tip[0]) - half_width, above = p[2] - z_top;
    if (beyond_side > kBevelMm || above > kBevelMm) return std::numeric_limits<double>::quiet_NaN();
    const double bevel = std::max(0.0, beyond_side) + std::max(0.0, above);
    return p[1] - (plane_y(p[2]) - bevel);
  }
  bool removes(const Vec3& p) const { return depth_behind(p) < 0; }
};

// The cut for a face with these landmarks on this surface: through a point just under the skin
// at the brow, to a point behind the nose tip (and behind the eyes), bending there if it has to
// so that it passes behind the chin.
CutPlane plan_cut(const FaceLandmarks& face, const FrontalSurface& surface);

struct DefaceResult {
  std::size_t tissue_removed = 0;   // tissue voxels in front of the plane, now air
  std::size_t cavities_closed = 0;  // air/dark voxels just behind the plane, now tissue
  std::vector<std::uint8_t> changed;  // one per voxel, 1 where the voxel changed
};

// Behind the cut the orbits, nasal cavity and sinuses would show as dark holes in a face-like
// pattern; within this slab behind the plane they are closed (only voxels below the skin
// threshold change, so tissue, and the brain, is never altered).
inline constexpr double kClosedSlabMm = 6;  // two voxels of closed tissue stop every ray

// Sets the voxels in front of the plane to `air` and closes the cavities in the slab behind it
// with `tissue` (values in the volume's units). Only cavities inside the head are closed: behind
// the original skin on a frontal ray (`surface`), never the air beside the face. Voxels of the
// brain region grown by its landmarks' error (in_keep_out_region, brain_region.h) are never
// changed.
DefaceResult apply_cut(Volume& volume, const CutPlane& cut, const FrontalSurface& surface, const FaceLandmarks& face,
                       float air, float tissue, float threshold);

}  // namespace radveil::face
