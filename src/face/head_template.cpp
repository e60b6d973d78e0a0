#include "face/head_template.h"

#include <cmath>
#include <cstdlib>
#include <mutex>

#include "face/head_extent.h"
#include "face/itk_registration.h"
#include "face/nifti.h"
#include "face/surface_render.h"

namespace radveil::face {
namespace {

// The template's space is MNI's, and its landmarks were measured there in RAS (x to the right,
// y anterior, z superior; mm). radveil's patient space is LPS.
Vec3 from_ras(double x, double y, double z) { return {-x, -y, z}; }

constexpr float kTemplateSkinThreshold = 35;

// Landmarks on ch2 (RAS mm), measured on its skin at threshold 25 (the mid-line profile and the
// profiles 30 mm to either side): the nasion is the profile's dip at z -38 (y 85); the nose runs
// from there to the template's lower edge (z -71, y 91, where the field of view cuts it); the lids
// stand at y 76 at z -41 to -36, 30 mm beside the mid-line; under the eyes the cheeks at y 68.
std::vector<TemplateLandmark> ch2_face_landmarks() {
  return {{"nasion", from_ras(0, 84, -38)},      {"nose", from_ras(0, 90, -62)},
          {"right eye", from_ras(30, 75, -38), false}, {"left eye", from_ras(-30, 75, -38), false},
          {"right cheek", from_ras(30, 67, -60)}, {"left cheek", from_ras(-30, 67, -60)}};
}

struct Loaded {
  std::unique_ptr<HeadTemplate> head_template;
  std::string why;
};

Loaded load() {
  Loaded out;
  const std::filesystem::path folder = template_folder();
  try {
    auto t = std::make_unique<HeadTemplate>();
    t->head = read_nifti(folder / "ch2.nii.gz");
    const Volume brain = read_nifti(folder / "ch2bet.nii.gz");
    if (brain.nx != t->head.nx || brain.ny != t->head.ny || brain.nz != t->head.nz)
      throw NiftiError("the template's head and brain differ in size");
    // Fixed, not estimated: the template's own border cuts through its head (the lower slices, the
    // nose, the ears), so the border-air statistics of skin_threshold read tissue as air there
    // (they gave 100, inside the scalp). Its background is exactly 0 and its scalp 30-120; at 50 the
    // scalp breaks up, at 20 the background's speckle joins the head.
    t->threshold = kTemplateSkinThreshold;
    t->shape = head_shape(main_tissue_body(t->head, t->threshold));
    // The brain on a 2 mm grid over the template's box, and the distance to it.
    const auto [lo, hi] = t->head.patient_bounds();
    DenseGrid& g = t->brain_grid;
    g.step = 2, g.lo = lo;
    g.nx = static_cast<int>((hi[0] - lo[0]) / g.step) + 1, g.ny = static_cast<int>((hi[1] - lo[1]) / g.step) + 1,
    g.nz = static_cast<int>((hi[2] - lo[2]) / g.step) + 1;
    std::vector<std::uint8_t> inside(g.size(), 0);
    t->image.grid = g;
    t->image.values.assign(g.size(), 0);
    for (int k = 0; k < g.nz; ++k)
      for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
          Vec3 ijk{};
          if (!brain.affine.to_voxel({lo[0] + i * g.step, lo[1] + j * g.step, lo[2] + k * g.step}, ijk)) continue;
          inside[g.index(i, j, k)] = brain.sample(ijk[0], ijk[1], ijk[2], 0) > 0.5f;
          t->image.values[g.index(i, j, k)] = t->head.sample(ijk[0], ijk[1], ijk[2], 0);
        }
    t->brain_distance = signed_distance_mm(inside, g);
    t->face_landmarks = ch2_face_landmarks();
    if (t->shape.skin.size() < 1000) throw NiftiError("the template holds no head");
    out.head_template = std::move(t);
  } catch (const NiftiError& e) {
    out.why = std::string("the head template (Colin27, Debian package mricron-data) is not usable: ") + e.what();
  }
  return out;
}

}  // namespace

std::filesystem::path template_folder() {
  if (const char* dir = std::getenv("RADVEIL_FACE_TEMPLATE_DIR"); dir && *dir) return dir;
  return "/usr/share/mricron/templates";
}

const HeadTemplate* colin27(std::string& why) {
  static const Loaded loaded = load();
  why = loaded.why;
  return loaded.head_template.get();
}

float HeadTemplate::brain_distance_at(const Vec3& q) const {
  const DenseGrid& g = brain_grid;
  const int i = static_cast<int>(std::lround((q[0] - g.lo[0]) / g.step)), j = static_cast<int>(std::lround((q[1] - g.lo[1]) / g.step)),
            k = static_cast<int>(std::lround((q[2] - g.lo[2]) / g.step));
  if (!g.inside(i, j, k)) return 1e6f;
  return brain_distance[g.index(i, j, k)];
}

// In RAS mm. Below the top of the brows (z -8; the nasion is at -38, the brows 15-25 mm above it:
// at -15 the outer brows stayed on a generated head), and in front of a back wall: y +22 up to the
// eyes' level (behind the eyes' globes, which reach back to y +45, and in front of the ears, at
// y -20 and further back), rising from there to the brow line (y +85 at z -8), so that the cut
// leaves a slope under the forehead and not a 60 mm step: a step's straight shadow at the brows,
// over a flat wall, is what dlib took for a face on defaced heads. Eyes, nose, cheeks, lips and
// chin; down to z -135, below the chin of a large adult (the template ends at -71, the base of its
// nose; lips and chin are extrapolated by the registration's affine map).
bool HeadTemplate::in_face_region(const Vec3& q, double g) {
  const double x = -q[0], y = -q[1], z = q[2];
  constexpr double kTop = -8, kBottom = -135, kWall = 22, kSlopeFrom = -50, kBrowLine = 85;
  const double wall = z <= kSlopeFrom ? kWall : kWall + (kBrowLine - kWall) * (z - kSlopeFrom) / (kTop - kSlopeFrom);
  return z <= kTop + g && z >= kBottom - g && y >= wall - g && std::abs(x) <= 100 + g;
}

// In RAS mm: lateral of 68 mm (the skull's side is at 65-70 there; the brain's margin keeps the
// cut out of it), from 62 mm behind to 8 mm in front of the ear canal's coronal plane (y -20),
// from 10 mm above the ear's top to its lobe.
bool HeadTemplate::in_ear_region(const Vec3& q, double g) {
  const double x = -q[0], y = -q[1], z = q[2];
  return std::abs(x) >= 68 - g && std::abs(x) <= 120 + g && y >= -62 - g && y <= 8 + g && z >= -80 - g && z <= -8 + g;
}

}  // namespace radveil::face
