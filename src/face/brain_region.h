#pragma once
// Where the brain is, for counting changed voxels there (goal: none). Without templates the
// brain is approximated from the geometry the cut works in: voxels inside the head, at least
// 18 mm behind the skin seen from the front, and above the level just under the brow (the frontal
// lobes sit on the orbital roofs). The cut only ever reaches in from the front below the brow, so
// this is the part of the brain it could touch.
#include <vector>

#include "face/face_geometry.h"
#include "face/volume.h"

namespace radveil::face {

inline constexpr double kBrainDepthMm = 18;
inline constexpr double kBrainBelowBrowMm = 15;

bool in_brain_region(const Vec3& patient_point, const FrontalSurface& surface, const FaceLandmarks& face);

// The cut keeps out of a larger region: the brain region grown by the error of its landmarks
// (the brow found a few mm off, a surface a few mm off on a coarse or turned scan).
inline constexpr double kKeepOutLowerMm = 5;     // below the brain region's lower edge
inline constexpr double kKeepOutShallowerMm = 4;  // nearer the skin than the brain region
inline constexpr double kKeepOutPitchDeg = 30;    // the head's pitch the lower edge allows for
inline constexpr double kBrowBehindNoseMm = 15;   // where the brow's skin is not in view
// How far the keep-out region reaches beyond the brain region: nearer the skin, lower, and the
// head's pitch its lower edge allows for. From axes pitched in steps (pitched_looks.h) the pitch
// is measured rather than allowed for: half a step, and nothing lower.
struct KeepOutMargins {
  double shallower_mm = kKeepOutShallowerMm, lower_mm = kKeepOutLowerMm, pitch_deg = kKeepOutPitchDeg;
};
bool in_keep_out_region(const Vec3& point, const FrontalSurface& surface, const FaceLandmarks& face,
                        const KeepOutMargins& margins = {});

// Counts voxels marked in `changed` that lie in the brain region.
std::size_t changed_voxels_in_brain(const Volume& volume, const std::vector<std::uint8_t>& changed,
                                    const FrontalSurface& surface, const FaceLandmarks& face);

}  // namespace radveil::face
