#include "support/tissue_volume.h"

namespace radveil::test {

face::Volume tissue_volume(const Grid& grid, const std::function<bool(const face::Vec3&)>& is_tissue, float tissue,
                           float air) {
  face::Volume v(grid.nx, grid.ny, grid.nz);
  v.affine.origin = grid.origin;
  v.affine.axis = {face::Vec3{grid.spacing, 0, 0}, face::Vec3{0, grid.spacing, 0}, face::Vec3{0, 0, grid.spacing}};
  for (int k = 0; k < v.nz; ++k)
    for (int j = 0; j < v.ny; ++j)
      for (int i = 0; i < v.nx; ++i) v.at(i, j, k) = is_tissue(v.affine.to_patient(i, j, k)) ? tissue : air;
  return v;
}

}  // namespace radveil::test
