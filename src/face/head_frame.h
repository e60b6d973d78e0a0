#pragma once
// The head's own axes, found from the head itself, whatever its turn in the scanner: left-right
// is the normal of its mirror-symmetry plane (searched on the skin), superior the patient's
// superior within that plane (the pitch stays the scanner's), posterior completes the set. Face
// removal works in these axes, so a head turned or tilted sideways is seen straight, as the
// landmark search and the cut expect.
#include <optional>
#include <string>

#include "face/head_extent.h"
#include "face/volume.h"

namespace radveil::face {

struct HeadFrame {
  Vec3 origin{};  // a point of the mid-sagittal plane (patient coordinates)
  // Unit vectors in patient coordinates: the head's left, posterior and superior.
  Vec3 left{1, 0, 0}, posterior{0, 1, 0}, superior{0, 0, 1};
  double symmetry = 0;  // fraction of skin cells whose mirror image is skin as well

  // Head coordinates (x left, y posterior, z superior, mm from `origin`) of a patient point.
  Vec3 to_head(const Vec3& p) const;
  // The affine that maps voxel indices to head coordinates.
  Affine in_head(const Affine& patient) const;
  // The turn from patient axes, in degrees (about z, about x, about y), for reports.
  std::string describe() const;
};

// Heads are symmetric to about this fraction of skin cells within one 3 mm cell; a body that is
// not symmetric at all (no plane within 40 degrees of sagittal reaches it) has no frame.
inline constexpr double kMinSymmetry = 0.45;

// The head's frame, or nullopt when the tissue has too little skin or no mirror plane within 40
// degrees of the patient's sagittal plane reaches kMinSymmetry.
std::optional<HeadFrame> find_head_frame(const TissueBody& body);

}  // namespace radveil::face
