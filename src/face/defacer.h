#pragma once
// Removes the face: every voxel in front of a smooth cutting plane, within the width of the face
// and below the brow, becomes air. The plane runs from just under the forehead skin at the brow
// down behind the nose tip, lips and chin, sloping backwards, so eyes, nose, lips and chin go
// while the skull vault and the brain behind the face stay untouched. A plane, not a surface that
// follows the skin: a cut that follows the skin would print the face's shape a few mm deeper (a
// skin layer under a plane was measured: it opened the orbits, and a detector found a face there).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
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

// The eye as found is the deepest point of its orbit's profile; over each eye (within kEyeRingMm)
// the skin the cut is measured from is taken no deeper than that or the skin on a ring of that
// radius around it (see plan_face_cut).
inline constexpr double kEyeRingMm = 20;

// Above kNearBrainAboveNoseMm over the nose tip (the bridge, the eyes, the nasion and the brow)
// the cut reaches no further than kCutNearBrainReachMm from the skin in three dimensions. The
// keep-out region (brain_region.h) is measured along the head's y, and behind a sloping, curved
// skin (the brow, the nasion) that depth depends on the axes: from the axes found, the plane took
// the frontal sinus's walls 18-30 mm behind the skin of the true axes of a CT head pitched 22
// degrees. A distance does not depend on axes.
inline constexpr double kNearBrainAboveNoseMm = 12, kCutNearBrainReachMm = 16;

struct FaceCut {
  CutPlane plane;
  FrontalSurface reach;  // per (x, z): the y the cut goes no deeper than; NaN: no limit
  // How far behind the cut `p` is (negative: in front), or NaN outside the face region.
  double depth_behind(const Vec3& p) const {
    const double behind = plane.depth_behind(p), limit = reach.at(p[0], p[2]);
    return std::isnan(behind) || std::isnan(limit) ? behind : std::max(behind, p[1] - limit);
  }
  bool removes(const Vec3& p) const { return depth_behind(p) < 0; }
};

// The plane of plan_cut, limited near the brain.
FaceCut plan_face_cut(const FaceLandmarks& face, const FrontalSurface& surface);

struct DefaceResult {
  std::size_t tissue_removed = 0;   // tissue voxels in front of the plane, now air
  std::size_t cavities_closed = 0;  // air/dark voxels just behind the plane, now tissue
  std::vector<std::uint8_t> changed;  // one per voxel, 1 where the voxel changed
};

// Behind the cut the orbits, nasal cavity and sinuses would show as dark holes in a face-like
// pattern; within this slab behind the plane they are closed (only voxels below the skin
// threshold change, so tissue, and the brain, is never altered).
inline constexpr double kClosedSlabMm = 6;  // two voxels of closed tissue stop every ray

// Sets the voxels in front of the cut to `air` and closes the cavities in the slab behind it
// with `tissue` (values in the volume's units). Only cavities inside the head are closed: behind
// the original skin on a frontal ray (`surface`), never the air beside the face. Voxels for which
// `keep_out` holds (the brain region grown by its landmarks' error, brain_region.h) are never
// changed.
DefaceResult apply_cut(Volume& volume, const FaceCut& cut, const FrontalSurface& surface,
                       const std::function<bool(const Vec3&)>& keep_out, float air, float tissue, float threshold);

}  // namespace radveil::face
