#pragma once
// Removes the face: every voxel in front of a smooth cutting plane, within the width of the face
// and below the brow, becomes air, and over the face region the skin to a depth under it. The plane runs from just under the forehead skin at the brow
// down behind the nose tip, lips and chin, sloping backwards, so eyes, nose, lips and chin go
// while the skull vault and the brain behind the face stay untouched. A plane, not a surface that
// follows the skin: a cut that follows the skin would print the face's shape a few mm deeper; the
// skin layer (below) follows it only where the plane takes off less, beside the nose and eyes.
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

// A plane alone leaves skin where the face is flatter than the plane is steep: cheeks beside the
// nose stand nearly as far forward as its tip on a broad face (the egg of a phantom: 0 mm taken
// off 30 mm beside the tip), and the lids beside the eyes where the head is pitched. Over the
// face region the cut therefore also takes off the skin to kSkinLayerMm under the deepest skin
// within kSkinLayerSmoothingMm (and the voxel size: a coarse voxel's surface is interpolated from
// its neighbours'), twice what verification asks (5 mm), so that it is still 5 mm seen 30 degrees
// off the frontal ray. The deepest within 15 mm: the layer does not print the face's relief (a
// nose, a phantom's eyes) a few mm deeper. Over each eye (within kSkinLayerEyeRadiusMm of it) the skin is taken no
// deeper than the eye as found or the skin around the eye (see plan_face_cut). The brain is kept
// out of as for the plane (brain_region.h).
inline constexpr double kSkinLayerMm = 10, kSkinLayerSmoothingMm = 15, kSkinLayerEyeRadiusMm = 20;
// The face region it covers: 40 mm either side of the nose tip, from 25 mm below it to 50 mm
// above it (the eyes; not the brow, where the brain lies closest behind the skin), then thinning
// at 45 degrees (CutPlane::kBevelMm) so that no edge is drawn.
inline constexpr double kSkinLayerHalfWidthMm = 40, kSkinLayerBelowNoseMm = 25, kSkinLayerAboveNoseMm = 50;
// No part of the layer lies further than kSkinLayerMaxMm from the skin (in three dimensions:
// along the head's y, a sloping forehead seen from axes pitched 22 degrees put a layer 15 mm deep
// there 18-30 mm behind the skin of the true axes), and from kNearBrainAboveNoseMm above the nose
// tip, where the brain comes close, no further than kSkinLayerNearBrainMm: along any axis within
// 48 degrees of the skin's normal that is less than the brain region's 18 mm.
inline constexpr double kSkinLayerMaxMm = 20, kSkinLayerNearBrainMm = 12, kNearBrainAboveNoseMm = 12;
// Nor deeper than this behind the plane: skin further behind it is not the face's (at the edge of
// a field of view a frontal ray can miss the skin and find tissue deep inside the head, and a
// layer under that once took a whole slice out of a CT head), and is refused if it is.
inline constexpr double kSkinLayerBehindPlaneMm = 18;

// Above kNearBrainAboveNoseMm over the nose tip (the bridge, the eyes, the nasion and the brow)
// the whole cut, plane and layer, reaches no further than kCutNearBrainReachMm from the skin in
// three dimensions. The keep-out region (brain_region.h) is measured along the head's y, and
// behind a sloping, curved skin (the brow, the nasion) that depth depends on the axes: from the
// axes found, the plane took the frontal sinus's walls 18-30 mm behind the skin of the true axes
// of a CT head pitched 22 degrees. A distance does not depend on axes.
inline constexpr double kCutNearBrainReachMm = 16;

struct FaceCut {
  CutPlane plane;
  FrontalSurface layer_floor;  // per (x, z): the y the skin layer is taken off to; NaN outside
  FrontalSurface reach;        // per (x, z): the y the cut goes no deeper than; NaN: no limit
  // How far behind the cut `p` is (negative: in front), or NaN outside the face region.
  double depth_behind(const Vec3& p) const {
    const double behind_plane = plane.depth_behind(p), floor = layer_floor.at(p[0], p[2]);
    const double behind = std::isnan(floor)        ? behind_plane
                          : std::isnan(behind_plane) ? p[1] - floor
                                                     : std::min(behind_plane, p[1] - floor);
    const double limit = reach.at(p[0], p[2]);
    return std::isnan(behind) || std::isnan(limit) ? behind : std::max(behind, p[1] - limit);
  }
  bool removes(const Vec3& p) const { return depth_behind(p) < 0; }
};

// The plane of plan_cut and the skin layer over the face region, on a volume whose largest voxel
// spacing is `voxel_mm`.
FaceCut plan_face_cut(const FaceLandmarks& face, const FrontalSurface& surface, double voxel_mm);

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
