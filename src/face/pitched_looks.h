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

// After the cut: what remains of the face from one of the pitched looks, or nullopt. The face
// region must have moved (face_region_removed), and no nose may stand out kMinNoseProtrusionMm.
struct FaceResidue {
  std::string reason;  // face-region-not-removed, face-still-detectable
  std::string detail;
};
std::optional<FaceResidue> face_left_in_pitched_looks(const Volume& after, float threshold,
                                                      const std::vector<PitchedLook>& looks);

}  // namespace radveil::face
