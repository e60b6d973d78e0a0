#include "face/head_extent.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <vector>

namespace radveil::face {
namespace {

constexpr double kGridMm = TissueBody::kGridMm;
constexpr std::array<std::array<int, 3>, 6> kNeighbours = {
    {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}};

// One pass of a 6-neighbour erosion or dilation of `cells` on `shape`'s grid.
std::vector<std::uint8_t> morph(const TissueBody& shape, const std::vector<std::uint8_t>& cells, bool erode) {
  std::vector<std::uint8_t> out = cells;
  for (int k = 0; k < shape.nz; ++k)
    for (int j = 0; j < shape.ny; ++j)
      for (int i = 0; i < shape.nx; ++i) {
        std::uint8_t v = cells[shape.index(i, j, k)];
        for (const auto& d : kNeighbours) {
          const int a = i + d[0], b = j + d[1], c = k + d[2];
          const std::uint8_t n = shape.inside(a, b, c) ? cells[shape.index(a, b, c)] : 0;
          v = erode ? std::min(v, n) : std::max(v, n);
        }
        out[shape.index(i, j, k)] = v;
      }
  return out;
}

}  // namespace

std::string HeadExtent::describe() const {
  std::ostringstream out;
  out.precision(0);
  out << std::fixed << "tissue " << width_mm << " x " << depth_mm << " x " << height_mm << " mm";
  if (tissue_height_mm > height_mm) out << ", with other parts " << tissue_height_mm << " mm high";
  out << " ("
      << (could_be_head ? "could be a head" : "not a head") << (vertex_in_view ? ", top of the head in view" : "")
      << (above_face ? ", a slab ending above the eyes" : "") << ")";
  return out.str();
}

bool TissueBody::occupied(const Vec3& p) const {
  const int i = static_cast<int>(std::lround((p[0] - lo[0]) / kGridMm)),
            j = static_cast<int>(std::lround((p[1] - lo[1]) / kGridMm)),
            k = static_cast<int>(std::lround((p[2] - lo[2]) / kGridMm));
  return inside(i, j, k) && body[index(i, j, k)];
}

Vec3 TissueBody::position(std::size_t c) const {
  const auto i = static_cast<double>(c % nx), j = static_cast<double>((c / nx) % ny),
             k = static_cast<double>(c / (static_cast<std::size_t>(nx) * ny));
  return {lo[0] + i * kGridMm, lo[1] + j * kGridMm, lo[2] + k * kGridMm};
}

TissueBody main_tissue_body(const Volume& volume, float threshold) {
  const auto [lo, hi] = volume.patient_bounds();
  TissueBody t;
  t.lo = lo;
  t.nx = static_cast<int>((hi[0] - lo[0]) / kGridMm) + 1;
  t.ny = static_cast<int>((hi[1] - lo[1]) / kGridMm) + 1;
  t.nz = static_cast<int>((hi[2] - lo[2]) / kGridMm) + 1;
  std::vector<std::uint8_t> cells(static_cast<std::size_t>(t.nx) * t.ny * t.nz, 0);
  t.in_view.assign(cells.size(), 0);
  for (int k = 0; k < t.nz; ++k)
    for (int j = 0; j < t.ny; ++j)
      for (int i = 0; i < t.nx; ++i) {
        Vec3 ijk;
        if (!volume.affine.to_voxel({lo[0] + i * kGridMm, lo[1] + j * kGridMm, lo[2] + k * kGridMm}, ijk)) continue;
        const bool inside = ijk[0] >= -0.5 && ijk[1] >= -0.5 && ijk[2] >= -0.5 && ijk[0] <= volume.nx - 0.5 &&
                            ijk[1] <= volume.ny - 0.5 && ijk[2] <= volume.nz - 0.5;
        if (!inside) continue;
        t.in_view[t.index(i, j, k)] = 1;
        cells[t.index(i, j, k)] = volume.sample(ijk[0], ijk[1], ijk[2], threshold - 1) > threshold;
      }
  // Opening by two cells (6 mm): the table, a head holder's rim, tubes and cables go.
  cells = morph(t, morph(t, morph(t, morph(t, cells, true), true), false), false);
  // The largest connected part.
  std::vector<int> label(cells.size(), 0);
  int best_label = 0, next = 0;
  std::size_t best_size = 0;
  std::vector<std::size_t> sizes{0};
  std::vector<std::size_t> stack;
  for (std::size_t start = 0; start < cells.size(); ++start) {
    if (!cells[start] || label[start]) continue;
    ++next;
    std::size_t size = 0;
    stack.assign(1, start);
    label[start] = next;
    while (!stack.empty()) {
      const std::size_t c = stack.back();
      stack.pop_back();
      ++size;
      const int i = static_cast<int>(c % t.nx), j = static_cast<int>((c / t.nx) % t.ny),
                k = static_cast<int>(c / (static_cast<std::size_t>(t.nx) * t.ny));
      for (const auto& d : kNeighbours) {
        const int a = i + d[0], b = j + d[1], e = k + d[2];
        if (!t.inside(a, b, e)) continue;
        const std::size_t n = t.index(a, b, e);
        if (cells[n] && !label[n]) label[n] = next, stack.push_back(n);
      }
    }
    sizes.push_back(size);
    if (size > best_size) best_size = size, best_label = next;
  }
  t.body.assign(cells.size(), 0);
  t.parts.assign(cells.size(), 0);
  if (best_size > 0)
    for (std::size_t c = 0; c < label.size(); ++c) {
      t.body[c] = label[c] == best_label;
      t.parts[c] = label[c] > 0 && sizes[static_cast<std::size_t>(label[c])] >= TissueBody::kMinPartCells;
    }
  return t;
}

HeadExtent measure_head_extent(const TissueBody& t) {
  HeadExtent h;
  std::array<int, 3> mn{t.nx, t.ny, t.nz}, mx{-1, -1, -1};
  for (std::size_t c = 0; c < t.body.size(); ++c) {
    if (!t.body[c]) continue;
    const std::array<int, 3> ijk{static_cast<int>(c % t.nx), static_cast<int>((c / t.nx) % t.ny),
                                 static_cast<int>(c / (static_cast<std::size_t>(t.nx) * t.ny))};
    for (int a = 0; a < 3; ++a) mn[a] = std::min(mn[a], ijk[a]), mx[a] = std::max(mx[a], ijk[a]);
  }
  if (mx[0] < 0) return h;
  h.width_mm = (mx[0] - mn[0] + 1) * kGridMm;
  h.depth_mm = (mx[1] - mn[1] + 1) * kGridMm;
  h.height_mm = (mx[2] - mn[2] + 1) * kGridMm;
  h.could_be_head = !(h.width_mm > 260 || h.depth_mm > 260 || (h.width_mm < 90 && h.depth_mm < 90));
  // The top of the head is in view when, above every cell of the body's top layer, the field of
  // view still holds air for at least 6 mm.
  h.vertex_in_view = true;
  for (std::size_t c = 0; c < t.body.size() && h.vertex_in_view; ++c) {
    if (!t.body[c]) continue;
    const int i = static_cast<int>(c % t.nx), j = static_cast<int>((c / t.nx) % t.ny),
              k = static_cast<int>(c / (static_cast<std::size_t>(t.nx) * t.ny));
    if (k != mx[2]) continue;
    for (int up = 1; up <= 2; ++up)
      if (!t.inside(i, j, k + up) || !t.in_view[t.index(i, j, k + up)]) h.vertex_in_view = false;
  }
  int lowest = mn[2];
  for (std::size_t c = 0; c < t.parts.size(); ++c)
    if (t.parts[c]) lowest = std::min(lowest, static_cast<int>(c / (static_cast<std::size_t>(t.nx) * t.ny)));
  h.tissue_height_mm = (mx[2] - lowest + 1) * kGridMm;
  h.above_face = h.could_be_head && h.vertex_in_view && h.tissue_height_mm < kVertexSlabMm;
  return h;
}

}  // namespace radveil::face
