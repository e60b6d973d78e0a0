#pragma once
// The head's pitch is not found (head_frame.h): the head's axes can differ from its true ones by
// the pitch it lay at. What the cut left is therefore also measured from the head's axes pitched
// up and down about the nose tip: a face region that did not move, or a nose that still stands
// out, seen from one of those sides refuses the series. (A check from the true axes found a point
// beside the eye moved 4.5 mm and a nose standing out 9.5 mm on an MR head pitched 28 degrees
// whose cut passed every check in the axes found.)
#include <optional>
#include <string>
#include <vector>

#include "face/face_geometry.h"
#include "face/volume.h"

namespace radveil::face {

inline constexpr double kLookPitchesDeg[] = {-30, -15, 15, 30};
inline constexpr double kLookPitchStepDeg = 15;
inline constexpr double kKeepOutLookPitchDeg = 15;

// `affine` (voxels to head coordinates) with the head turned by `pitch_deg` about the left-right
// axis through `pivot` (head coordinates): positive brings the forehead forward.
Affine pitched_about(const Affine& affine, const Vec3& pivot, double pitch_deg);
// The same turn applied to landmarks measured in the unturned axes.
FaceLandmarks pitched_landmarks(const FaceLandmarks& face, double pitch_deg);

struct PitchedLook {
  double pitch_deg = 0;
  Affine affine;            // the head's axes, pitched
  FrontalSurface before;    // the skin seen from the front in them, before the cut
  FaceLandmarks face;       // the landmarks found before the cut, turned with them
};

// Measured before the cut, on the volume in the head's axes.
std::vector<PitchedLook> look_before_cut(const Volume& volume, float threshold, const FaceLandmarks& face);

// Whether the cut must keep out of `head_point` (head coordinates): it lies in the keep-out region
// (brain_region.h) seen from the head's axes, or in the brain region seen from the looks pitched
// up to kKeepOutLookPitchDeg. The brain region is measured behind the skin, and behind a sloping,
// curved skin (the brow, the nasion) that depth depends on the axes it is measured along. Measured
// on the 30 generated variants (bench/face-variants), with and without the looks: brain region
// touched on 3 variants (1, 7, 8 voxels) against 4 (7, 31, 50, 98), 11 defaced against 12. From
// the looks pitched 30 degrees the eyes lie under the brow's overhang, as deep behind the skin as
// the brain: keeping out of the brain region from those looks as well refused all 10 MR variants
// (their eyes stayed).
bool in_keep_out_region_of_any(const Vec3& head_point, const FrontalSurface& surface, const FaceLandmarks& face,
                               const std::vector<PitchedLook>& looks);

// After the cut: what remains of the face from one of the pitched looks, or nullopt. The face
// region must have moved (face_region_removed), and no nose may stand out kMinNoseProtrusionMm.
struct FaceResidue {
  std::string reason;  // face-region-not-removed, face-still-detectable
  std::string detail;
};
std::optional<FaceResidue> face_left_in_pitched_looks(const Volume& after, float threshold,
                                                      const std::vector<PitchedLook>& looks);

}  // namespace radveil::face
