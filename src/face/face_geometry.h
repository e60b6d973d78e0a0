#pragma once
// The face seen from the front, measured on the volume itself: a depth map of the skin surface in
// patient coordinates, the nose tip, and how far the nose stands out from the cheeks. A nose that
// protrudes is what makes a volume "a head with a face"; after defacing it must be gone.
#include <optional>
#include <string>
#include <vector>

#include "face/surface_render.h"
#include "face/volume.h"

namespace radveil::face {

struct FrontalSurface {
  // Anterior-most skin position (patient y, mm) per (x, z) on a 1 mm grid; NaN where no skin.
  cv::Mat y_surface;  // CV_32FC1, rows: z from top (superior) down, cols: x from patient right to left
  double x0 = 0, z_top = 0;  // patient x of column 0, patient z of row 0
  double at(double x, double z) const;  // NaN outside
};

FrontalSurface frontal_surface(const Volume& volume, float threshold);
// The same with the voxels placed by `affine` instead of the volume's own (a view from another
// side: the skin nearest the viewer is the lowest y of `affine`'s coordinates).
FrontalSurface frontal_surface(const Volume& volume, const Affine& affine, float threshold);
// Only within this window of x and z (a face region: a few times faster than the whole head).
struct SurfaceWindow {
  double x_lo, x_hi, z_lo, z_hi;
};
FrontalSurface frontal_surface(const Volume& volume, const Affine& affine, float threshold, const SurfaceWindow& window);

struct FaceLandmarks {
  Vec3 nose_tip{};          // patient coordinates
  double protrusion_mm = 0;  // nose tip in front of both cheeks (the smaller of the two)
  double face_half_width_mm = 0;
  double brow_z = 0;         // patient z of the brow ridge above the orbits
  Vec3 chin{};               // most anterior skin point 40-100 mm below the nose tip (mid-line)
  std::vector<Vec3> eyes;    // the deepest point of each orbit's profile, 30 mm beside the nose
};

// Whether the skin at the nose tip, at each eye, and on a 15 mm grid over the face region (30 mm
// to either side of the nose, from 10 mm below its tip to 45 mm above) of the original (`face` on
// `before`) has moved by at least `min_mm` (back by the cut, or forward where a cavity was
// closed), or is gone, on `after`: the face region really was removed. Independent of the
// detectors.
inline constexpr double kFaceGridHalfWidthMm = 30, kFaceGridStepMm = 15;
inline constexpr double kFaceGridBelowNoseMm = -10, kFaceGridAboveNoseMm = 45;
// A point of the face region (the nose tip, an eye, or a point of the grid) whose skin did not
// move enough: where (mm from the nose tip, x and z) and by how much it moved.
struct UnmovedFacePoint {
  double dx = 0, dz = 0, moved_mm = 0;
  std::string describe() const;
};
std::optional<UnmovedFacePoint> unmoved_face_point(const FaceLandmarks& face, const FrontalSurface& before,
                                                   const FrontalSurface& after, double min_mm = 5.0);
inline bool face_region_removed(const FaceLandmarks& face, const FrontalSurface& before, const FrontalSurface& after,
                                double min_mm = 5.0) {
  return !unmoved_face_point(face, before, after, min_mm);
}

// The brow lies at least this far above the nose tip (higher where the profile shows its ridge).
inline constexpr double kLowestBrowAboveNoseMm = 60;

// The lids of the deepest-set eyes lie about this far behind the nose tip.
inline constexpr double kMaxEyeBehindNoseMm = 35;

// Protrusion below this is no nose: a flat or defaced surface, a knee, an abdomen.
inline constexpr double kMinNoseProtrusionMm = 9.0;

// The nose tip is the most anterior skin point near the midline in the lower two thirds of the
// head; nullopt when there is no skin surface at all. With `known_nose` (where the nose tip was
// marked by a person, e.g. on a test head) the tip is put there and the rest measured around it.
struct NosePosition {
  double x = 0, z = 0;  // patient x and z of the tip; its depth is read from the surface
};
std::optional<FaceLandmarks> find_face_landmarks(const FrontalSurface& surface,
                                                 std::optional<NosePosition> known_nose = std::nullopt);

}  // namespace radveil::face
