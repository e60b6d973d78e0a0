#pragma once
// A head's shape as registration sees it: the signed distance to its skin (negative inside) on a
// regular grid in patient space, which cells the field of view saw, and points on the seen skin.
// Built from the main tissue body (head_extent.h) with its holes filled (a T1 skull is dark; the
// brain inside it is still head) and its tissue carried on past the edge of the field of view, so
// that a cut field of view adds no skin where there is none.
#include <array>
#include <cstdint>
#include <vector>

#include "face/head_extent.h"
#include "face/volume.h"

namespace radveil::face {

struct DenseGrid {
  int nx = 0, ny = 0, nz = 0;
  Vec3 lo{};        // patient position of cell (0,0,0)
  double step = 0;  // mm, the same along x, y and z
  std::size_t size() const { return static_cast<std::size_t>(nx) * ny * nz; }
  std::size_t index(int i, int j, int k) const { return (static_cast<std::size_t>(k) * ny + j) * nx + i; }
  bool inside(int i, int j, int k) const { return i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz; }
};

// A 3x3 matrix and an offset: q = m p + offset.
struct LinearMap {
  std::array<Vec3, 3> m{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};  // rows
  Vec3 offset{};
  Vec3 apply(const Vec3& p) const { return {dot(m[0], p) + offset[0], dot(m[1], p) + offset[1], dot(m[2], p) + offset[2]}; }
  LinearMap inverse() const;  // of a non-singular map
  double determinant() const;
};

struct HeadShape {
  // Distances are clipped here: beyond it a point is simply far from the skin.
  static constexpr float kClipMm = 20;
  DenseGrid grid;
  std::vector<float> distance;        // mm, negative inside the head
  std::vector<std::uint8_t> seen;     // the field of view holds the cell
  std::vector<std::uint8_t> filled;   // the head, holes filled, carried past the field of view
  std::vector<Vec3> skin;             // seen head cells with seen air beside them
  Vec3 centroid{};                    // of the seen head

  // Trilinear distance at `p`; false outside the grid or where the field of view did not reach.
  bool distance_at(const Vec3& p, float& d) const;
  bool seen_at(const Vec3& p) const;
  bool head_at(const Vec3& p) const;  // nearest cell is head (filled)
};

HeadShape head_shape(const TissueBody& body);

// Intensities on a grid, with the cells a registration metric may sample (mask).
struct GridImage {
  DenseGrid grid;
  std::vector<float> values;
  std::vector<std::uint8_t> mask;  // empty: every cell
  bool empty() const { return values.empty(); }
};

// `volume` resampled (trilinear) onto a `step_mm` grid over the head's grid, the mask holding the
// head and the air within kImageMarginMm of its skin, where the field of view saw it. CT values
// are clipped to -1000..2000 HU (metal and beam hardening would take most histogram bins).
inline constexpr double kImageMarginMm = 10;
GridImage head_image(const Volume& volume, const HeadShape& head, double step_mm, bool is_ct);

}  // namespace radveil::face
