#pragma once
// The cut: every voxel whose place in the template (by the registration) falls in the face region
// (and, with ears, an ear region) becomes air, unless it lies in the template's brain grown by its
// margin (head_template.h). Nothing else changes.
#include <cstdint>
#include <vector>

#include "face/head_shape.h"
#include "face/head_template.h"
#include "face/template_registration.h"
#include "face/volume.h"

namespace radveil::face {

struct TemplateCut {
  std::size_t tissue_removed = 0;      // voxels above the skin threshold that became air
  std::size_t face_voxels = 0;         // voxels of the face region in the field of view
  std::size_t ear_tissue_removed = 0;  // of tissue_removed, in the ear regions
  std::size_t brain_changed = 0;       // changed voxels inside the template's brain (must be 0)
  std::size_t cavities_closed = 0;     // dark voxels behind the cut that became tissue
  std::vector<std::uint8_t> changed;   // one per voxel
};

// Behind the cut the orbits, nasal cavity, airway and sinuses would show as dark holes in a
// face-like pattern on the flat cut (dlib found a face there on generated heads): within this
// slab behind it, dark voxels inside the head become `tissue` (never a voxel above the threshold).
inline constexpr double kCutClosedSlabMm = 6;
// Where the keep-out region stops the cut inside the face region (over the orbits, the temporal
// poles), its own dark voxels would draw the same pattern: they are closed too, but never nearer
// the template's brain than this (at 3 mm a template variant fitted 0.6 mm off had one voxel of its
// brain changed: the brain's 2 mm distance grid and the series' voxels each add up to 1.7 mm).
inline constexpr double kWallBrainClearanceMm = 5;

TemplateCut cut_face_region(Volume& volume, const TemplateRegistration& fit, const HeadTemplate& head_template,
                            const HeadShape& head, bool ears, float air, float tissue, float threshold);

// Tissue (above the threshold) left within `radius_mm` of a patient point, in voxels; and whether
// the point lies in the field of view at all.
struct TissueNear {
  bool in_view = false;
  std::size_t tissue = 0;
};
TissueNear tissue_near(const Volume& volume, const Vec3& point, double radius_mm, float threshold);

}  // namespace radveil::face
