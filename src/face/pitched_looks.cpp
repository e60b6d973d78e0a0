#include "face/pitched_looks.h"

#include <cmath>
#include <numbers>

#include "face/brain_region.h"

namespace radveil::face {
namespace {

// Turns a head-coordinate vector about the left-right (x) axis.
Vec3 turn(const Vec3& v, double pitch_deg) {
  const double t = pitch_deg * std::numbers::pi / 180, c = std::cos(t), s = std::sin(t);
  // Positive pitch: the forehead (superior) comes forward (towards -y).
  return {v[0], c * v[1] - s * v[2], s * v[1] + c * v[2]};
}

Vec3 turn_about(const Vec3& p, const Vec3& pivot, double pitch_deg) { return pivot + turn(p - pivot, pitch_deg); }

// The face region and the skin around it that the nose search measures against.
SurfaceWindow around_face(const Vec3& nose_tip) {
  return {nose_tip[0] - 60, nose_tip[0] + 60, nose_tip[2] - 50, nose_tip[2] + 75};
}

}  // namespace

Affine pitched_about(const Affine& affine, const Vec3& pivot, double pitch_deg) {
  Affine a;
  a.origin = turn_about(affine.origin, pivot, pitch_deg);
  for (int i = 0; i < 3; ++i) a.axis[i] = turn(affine.axis[i], pitch_deg);
  return a;
}

FaceLandmarks pitched_landmarks(const FaceLandmarks& face, double pitch_deg) {
  FaceLandmarks f = face;
  const Vec3& pivot = face.nose_tip;
  for (Vec3& eye : f.eyes)
    if (!std::isnan(eye[1])) eye = turn_about(eye, pivot, pitch_deg);
  if (face.chin[1] < 1e8) f.chin = turn_about(face.chin, pivot, pitch_deg);
  f.brow_z = turn_about({pivot[0], pivot[1], face.brow_z}, pivot, pitch_deg)[2];
  return f;
}

std::vector<PitchedLook> look_before_cut(const Volume& volume, float threshold, const FaceLandmarks& face) {
  std::vector<PitchedLook> looks;
  for (const double pitch : kLookPitchesDeg) {
    PitchedLook look{pitch, pitched_about(volume.affine, face.nose_tip, pitch), {}, pitched_landmarks(face, pitch)};
    look.before = frontal_surface(volume, look.affine, threshold, around_face(face.nose_tip));
    looks.push_back(std::move(look));
  }
  return looks;
}

bool in_keep_out_region_of_any(const Vec3& p, const FrontalSurface& surface, const FaceLandmarks& face,
                               const std::vector<PitchedLook>& looks) {
  if (in_keep_out_region(p, surface, face)) return true;
  // The brain region itself from a pitched look, allowing half a step of pitch.
  constexpr KeepOutMargins kFromALook{.shallower_mm = 0, .lower_mm = 0, .pitch_deg = kLookPitchStepDeg / 2};
  for (const PitchedLook& look : looks) {
    if (std::abs(look.pitch_deg) > kKeepOutLookPitchDeg) continue;
    if (in_keep_out_region(turn_about(p, look.face.nose_tip, look.pitch_deg), look.before, look.face, kFromALook))
      return true;
  }
  return false;
}

std::optional<FaceResidue> face_left_in_pitched_looks(const Volume& after, float threshold,
                                                      const std::vector<PitchedLook>& looks) {
  for (const PitchedLook& look : looks) {
    const FrontalSurface surface = frontal_surface(after, look.affine, threshold, around_face(look.face.nose_tip));
    const std::string side = " seen from the head's axes pitched " + std::to_string(static_cast<int>(look.pitch_deg)) + " degrees";
    if (const auto unmoved = unmoved_face_point(look.face, look.before, surface))
      return FaceResidue{"face-region-not-removed", unmoved->describe() + "," + side};
    if (const auto nose = find_face_landmarks(surface); nose && nose->protrusion_mm >= kMinNoseProtrusionMm)
      return FaceResidue{"face-still-detectable", "after defacing the nose still stands out" + side};
  }
  return std::nullopt;
}

}  // namespace radveil::face
