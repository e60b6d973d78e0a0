#pragma once
// The outer ears (`--face-mode face-and-ears`). Seen from each side of the head in its own axes
// (head_frame.h), an auricle is skin that stands out from the side of the head over a footprint
// narrower than a 45 mm disc: a grey closing of the side view with that disc is the side of the
// head without it, and what lies outside that surface over the ear's footprint is removed. The
// skull and the brain lie well inside the side of the head, so they are never touched.
#include <cstdint>
#include <optional>
#include <vector>

#include "face/face_geometry.h"
#include "face/volume.h"

namespace radveil::face {

// An auricle stands out at least this far from the side of the head, over at least this area,
// and covers no more than an adult's largest ear (75 x 40 mm: an ellipse of about 2,400 mm2).
inline constexpr double kMinEarProtrusionMm = 5;
inline constexpr double kMinEarAreaMm2 = 250;
inline constexpr double kMaxEarAreaMm2 = 2500;

struct SideView {
  int side = 1;              // +1 the patient's left, -1 the right
  Affine affine;             // voxel -> view coordinates: x' = side * y, y' = -side * x, z' = z
  FrontalSurface surface;    // the skin nearest the viewer (lowest y')
  cv::Mat head_side;         // the surface's grey closing with a 45 mm disc: the head without the ear
  cv::Mat protrusion;        // head_side - surface, mm; 0 where unknown or near the silhouette's edge
};

SideView side_view(const Volume& volume, float threshold, int side);

struct Ear {
  int side = 1;
  double area_mm2 = 0, protrusion_mm = 0;
  cv::Mat footprint;  // CV_8U on the side view's grid: where the ear stands out
};

// The ear on this side view: the largest region standing out kMinEarProtrusionMm over
// kMinEarAreaMm2 to kMaxEarAreaMm2 whose centre lies at least kEarBehindNoseMm behind `nose_y` (the head's y of the
// nose tip: what stands out further forward is the face, which the cut removes); nullopt when
// there is none (no ear in view, or none standing out).
inline constexpr double kEarBehindNoseMm = 50;
std::optional<Ear> find_ear(const SideView& view, double nose_y);

// The centre of the ear's footprint in the head's y and z (x: the side of the head there).
Vec3 ear_centre(const SideView& view, const Ear& ear);

// What still stands out as an ear where `ear` was, on `view` taken after removal: of the regions
// standing out kMinEarProtrusionMm that touch the ear's footprint (grown as remove_ear grows it),
// the largest one's area and how far it stands out. The ear is gone when no such region reaches
// kMinEarAreaMm2: a few stray pixels of partial volume are no ear.
struct EarResidue {
  double area_mm2 = 0, protrusion_mm = 0;
};
EarResidue ear_residue(const SideView& view, const Ear& ear);

// Over the ear's footprint grown by 8 mm: sets to `air` every voxel outside the side of the head
// (view.head_side), and closes dark pockets within 4 mm under it with `tissue`; marks them in
// `changed`. Returns how many tissue voxels went.
std::size_t remove_ear(Volume& volume, const SideView& view, const Ear& ear, float air, float tissue, float threshold,
                       std::vector<std::uint8_t>& changed);

}  // namespace radveil::face
