#pragma once
// The head template face removal registers to: the Colin27 average-of-27-scans head and its brain
// (Debian's mricron-data: /usr/share/mricron/templates/ch2.nii.gz and ch2bet.nii.gz, 1 mm, MNI
// space; BSD, see docs/face-removal.md), and radveil's own face and ear regions defined in its
// space from landmarks measured on it. Loaded once per process, read-only afterwards.
#include <filesystem>
#include <string>
#include <vector>

#include "face/head_shape.h"
#include "face/volume.h"

namespace radveil::face {

// A named point of the template's face (LPS mm), for verification: where a face must be.
struct TemplateLandmark {
  std::string name;
  Vec3 point;
  // Skin is always found near it on a head (bone beneath); the eyes' lids are thin, and behind
  // them a T1 eyeball is dark, so no skin near an eye proves nothing about the fit.
  bool solid = true;
};

struct HeadTemplate {
  Volume head;          // ch2, intensities as shipped (T1-weighted MR), LPS
  float threshold = 0;  // its skin threshold
  HeadShape shape;      // its main tissue body as registration sees it
  DenseGrid brain_grid;                  // 2 mm
  std::vector<float> brain_distance;     // mm to ch2bet's brain, negative inside
  std::vector<TemplateLandmark> face_landmarks;  // nasion, nose, eyes, cheeks: skin points on ch2
  GridImage image;                       // ch2's intensities on brain_grid, for mutual information

  // The brain region a cut must never enter: the template's brain grown by this margin, for
  // the error of a registration (5 mm at most, measured) and a little more.
  static constexpr double kBrainMarginMm = 8;
  // Distance (mm) from `q` to the template's brain, negative inside; large outside its grid.
  float brain_distance_at(const Vec3& q) const;
  bool in_brain(const Vec3& q) const { return brain_distance_at(q) <= 0; }
  bool keep_out(const Vec3& q) const { return brain_distance_at(q) <= kBrainMarginMm; }
  // The face region (eyes, nose, lips, chin, cheeks, below the brow and in front of the ears),
  // and each outer ear's region; both extend past the template's field of view (which ends at the
  // base of the nose) down to below the chin. Neither excludes the keep-out region: callers do.
  static bool in_face_region(const Vec3& q, double grown_mm = 0);
  static bool in_ear_region(const Vec3& q, double grown_mm = 0);
};

// Where radveil looks for the template: RADVEIL_FACE_TEMPLATE_DIR, else mricron-data's folder.
std::filesystem::path template_folder();

// The template, loaded on first use (thread-safe); nullptr with `why` when it is not installed or
// unreadable.
const HeadTemplate* colin27(std::string& why);

}  // namespace radveil::face
