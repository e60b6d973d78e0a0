#include "face/template_cut.h"

#include <algorithm>
#include <cmath>

namespace radveil::face {

TemplateCut cut_face_region(Volume& volume, const TemplateRegistration& fit, const HeadTemplate& head_template,
                            const HeadShape& head, bool ears, float air, float tissue, float threshold) {
  TemplateCut cut;
  cut.changed.assign(volume.data.size(), 0);
  // Template point of voxel (i, j, k) = to_template(affine(i, j, k)): one affine map, stepped.
  const LinearMap& f = fit.to_template;
  const Vec3 origin = f.apply(volume.affine.origin);
  std::array<Vec3, 3> step{};
  for (int a = 0; a < 3; ++a)
    step[a] = {dot(f.m[0], volume.affine.axis[a]), dot(f.m[1], volume.affine.axis[a]), dot(f.m[2], volume.affine.axis[a])};
  for (int k = 0; k < volume.nz; ++k)
    for (int j = 0; j < volume.ny; ++j) {
      Vec3 q = origin + static_cast<double>(k) * step[2] + static_cast<double>(j) * step[1];
      for (int i = 0; i < volume.nx; ++i, q = q + step[0]) {
        const bool face = HeadTemplate::in_face_region(q);
        const bool ear = ears && !face && HeadTemplate::in_ear_region(q);
        // The cut's wall: the slab just behind the region, and the band of the keep-out region the
        // cut stops at (between the brain's clearance and the keep-out's edge, inside the region).
        const float brain_mm = head_template.brain_distance_at(q);
        const bool kept = brain_mm <= HeadTemplate::kBrainMarginMm;
        const bool wall = (!face && !ear && (HeadTemplate::in_face_region(q, kCutClosedSlabMm) ||
                                             (ears && HeadTemplate::in_ear_region(q, kCutClosedSlabMm))) &&
                           !kept) ||
                          ((face || ear) && kept && brain_mm > kWallBrainClearanceMm);
        if (wall) {
          float& v = volume.at(i, j, k);
          if (v > threshold) continue;
          const Vec3 p = volume.affine.to_patient(i, j, k);
          if (!head.head_at(p) && !head_template.shape.head_at(q)) continue;
          v = tissue;
          cut.changed[volume.index(i, j, k)] = 1;
          ++cut.cavities_closed;
          continue;
        }
        if (!face && !ear) continue;
        if (face) ++cut.face_voxels;
        if (kept) continue;
        float& v = volume.at(i, j, k);
        if (v == air) continue;
        if (v > threshold) {
          ++cut.tissue_removed;
          if (ear) ++cut.ear_tissue_removed;
        }
        v = air;
        const std::size_t index = volume.index(i, j, k);
        cut.changed[index] = 1;
        if (head_template.in_brain(q)) ++cut.brain_changed;
      }
    }
  return cut;
}

TissueNear tissue_near(const Volume& volume, const Vec3& point, double radius_mm, float threshold) {
  TissueNear near;
  Vec3 centre{};
  if (!volume.affine.to_voxel(point, centre)) return near;
  near.in_view = centre[0] >= 0 && centre[1] >= 0 && centre[2] >= 0 && centre[0] <= volume.nx - 1 &&
                 centre[1] <= volume.ny - 1 && centre[2] <= volume.nz - 1;
  std::array<int, 3> reach{};
  for (int a = 0; a < 3; ++a) reach[a] = static_cast<int>(std::ceil(radius_mm / std::max(norm(volume.affine.axis[a]), 0.1)));
  const int ci = static_cast<int>(std::lround(centre[0])), cj = static_cast<int>(std::lround(centre[1])),
            ck = static_cast<int>(std::lround(centre[2]));
  for (int k = ck - reach[2]; k <= ck + reach[2]; ++k)
    for (int j = cj - reach[1]; j <= cj + reach[1]; ++j)
      for (int i = ci - reach[0]; i <= ci + reach[0]; ++i) {
        if (!volume.inside(i, j, k)) continue;
        if (norm(volume.affine.to_patient(i, j, k) - point) > radius_mm) continue;
        if (volume.at(i, j, k) > threshold) ++near.tissue;
      }
  return near;
}

}  // namespace radveil::face
