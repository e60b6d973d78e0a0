#pragma once
// Hand-made volumes for geometry tests: a regular grid in patient space whose voxels are tissue
// where a predicate says so and air elsewhere.
#include <functional>

#include "face/volume.h"

namespace radveil::test {

struct Grid {
  int nx = 0, ny = 0, nz = 0;
  face::Vec3 origin{};  // patient position of voxel (0, 0, 0)
  double spacing = 1;   // mm, the same along every axis
};

face::Volume tissue_volume(const Grid& grid, const std::function<bool(const face::Vec3&)>& is_tissue, float tissue,
                           float air);

}  // namespace radveil::test
