#include "face/head_shape.h"

#include <algorithm>
#include <cmath>

#include "face/itk_registration.h"

namespace radveil::face {
namespace {

constexpr std::array<std::array<int, 3>, 6> kSix = {{{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}};
// Tissue is carried this many cells past the field of view's edge (3 mm cells): a chin or a vertex
// just outside it would otherwise show as skin along the edge.
constexpr int kCarryCells = 12;
constexpr float kClosingMm = 9;

}  // namespace

LinearMap LinearMap::inverse() const {
  const double det = determinant();
  LinearMap r;
  const auto& a = m;
  r.m[0] = {(a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det, (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det,
            (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det};
  r.m[1] = {(a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det, (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det,
            (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det};
  r.m[2] = {(a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det, (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det,
            (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det};
  const Vec3 t = {dot(r.m[0], offset), dot(r.m[1], offset), dot(r.m[2], offset)};
  r.offset = {-t[0], -t[1], -t[2]};
  return r;
}

double LinearMap::determinant() const { return dot(m[0], cross(m[1], m[2])); }

bool HeadShape::distance_at(const Vec3& p, float& d) const {
  const double fi = (p[0] - grid.lo[0]) / grid.step, fj = (p[1] - grid.lo[1]) / grid.step,
               fk = (p[2] - grid.lo[2]) / grid.step;
  if (!(fi >= 0 && fj >= 0 && fk >= 0 && fi <= grid.nx - 1 && fj <= grid.ny - 1 && fk <= grid.nz - 1)) return false;
  const int i = std::min(static_cast<int>(fi), std::max(grid.nx - 2, 0)), j = std::min(static_cast<int>(fj), std::max(grid.ny - 2, 0)),
            k = std::min(static_cast<int>(fk), std::max(grid.nz - 2, 0));
  const int ci = static_cast<int>(std::lround(fi)), cj = static_cast<int>(std::lround(fj)), ck = static_cast<int>(std::lround(fk));
  if (!seen[grid.index(ci, cj, ck)]) return false;
  const double a = fi - i, b = fj - j, c = fk - k;
  auto v = [&](int di, int dj, int dk) {
    return static_cast<double>(distance[grid.index(std::min(i + di, grid.nx - 1), std::min(j + dj, grid.ny - 1),
                                                   std::min(k + dk, grid.nz - 1))]);
  };
  const double x00 = v(0, 0, 0) * (1 - a) + v(1, 0, 0) * a, x10 = v(0, 1, 0) * (1 - a) + v(1, 1, 0) * a;
  const double x01 = v(0, 0, 1) * (1 - a) + v(1, 0, 1) * a, x11 = v(0, 1, 1) * (1 - a) + v(1, 1, 1) * a;
  d = static_cast<float>((x00 * (1 - b) + x10 * b) * (1 - c) + (x01 * (1 - b) + x11 * b) * c);
  return true;
}

bool HeadShape::seen_at(const Vec3& p) const {
  const int i = static_cast<int>(std::lround((p[0] - grid.lo[0]) / grid.step)),
            j = static_cast<int>(std::lround((p[1] - grid.lo[1]) / grid.step)),
            k = static_cast<int>(std::lround((p[2] - grid.lo[2]) / grid.step));
  return grid.inside(i, j, k) && seen[grid.index(i, j, k)];
}

bool HeadShape::head_at(const Vec3& p) const {
  const int i = static_cast<int>(std::lround((p[0] - grid.lo[0]) / grid.step)),
            j = static_cast<int>(std::lround((p[1] - grid.lo[1]) / grid.step)),
            k = static_cast<int>(std::lround((p[2] - grid.lo[2]) / grid.step));
  return grid.inside(i, j, k) && filled[grid.index(i, j, k)];
}

HeadShape head_shape(const TissueBody& body) {
  HeadShape s;
  s.grid = {body.nx, body.ny, body.nz, body.lo, TissueBody::kGridMm};
  const DenseGrid& g = s.grid;
  s.seen = body.in_view;
  std::vector<std::uint8_t> cells = body.body, known = body.in_view;
  // Past the field of view: each unseen cell next to known ones takes their majority, ring by ring
  // (a chin cut off at the edge continues as the chin's cross-section, not as a lid of skin).
  for (int ring = 0; ring < kCarryCells; ++ring) {
    std::vector<std::uint8_t> next_cells = cells, next_known = known;
    bool any = false;
    for (int k = 0; k < g.nz; ++k)
      for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
          const std::size_t c = g.index(i, j, k);
          if (known[c]) continue;
          int votes = 0, head = 0;
          for (const auto& d : kSix) {
            const int a = i + d[0], b = j + d[1], e = k + d[2];
            if (!g.inside(a, b, e) || !known[g.index(a, b, e)]) continue;
            ++votes;
            head += cells[g.index(a, b, e)];
          }
          if (votes == 0) continue;
          next_known[c] = 1, next_cells[c] = 2 * head >= votes, any = true;
        }
    cells.swap(next_cells), known.swap(next_known);
    if (!any) break;
  }
  // Holes: whatever air the grid's border cannot reach is inside the head.
  std::vector<std::uint8_t> outside(g.size(), 0);
  std::vector<std::size_t> stack;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i)
        if ((i == 0 || j == 0 || k == 0 || i == g.nx - 1 || j == g.ny - 1 || k == g.nz - 1) && !cells[g.index(i, j, k)]) {
          outside[g.index(i, j, k)] = 1;
          stack.push_back(g.index(i, j, k));
        }
  while (!stack.empty()) {
    const std::size_t c = stack.back();
    stack.pop_back();
    const int i = static_cast<int>(c % g.nx), j = static_cast<int>((c / g.nx) % g.ny),
              k = static_cast<int>(c / (static_cast<std::size_t>(g.nx) * g.ny));
    for (const auto& d : kSix) {
      const int a = i + d[0], b = j + d[1], e = k + d[2];
      if (!g.inside(a, b, e)) continue;
      const std::size_t n = g.index(a, b, e);
      if (!cells[n] && !outside[n]) outside[n] = 1, stack.push_back(n);
    }
  }
  s.filled.assign(g.size(), 0);
  for (std::size_t c = 0; c < g.size(); ++c) s.filled[c] = !outside[c];
  // Closed by kClosingMm: nostrils, the mouth, ear canals and the airway's mouth are no skin to
  // match (two heads differ there most), and the outline is what a pose is judged on.
  {
    const std::vector<float> out = signed_distance_mm(s.filled, g);
    std::vector<std::uint8_t> dilated(g.size(), 0);
    for (std::size_t c = 0; c < g.size(); ++c) dilated[c] = out[c] <= kClosingMm;
    const std::vector<float> in = signed_distance_mm(dilated, g);
    for (std::size_t c = 0; c < g.size(); ++c) s.filled[c] = s.filled[c] || in[c] <= -kClosingMm;
  }
  s.distance = signed_distance_mm(s.filled, g);
  for (float& d : s.distance) d = std::clamp(d, -HeadShape::kClipMm, HeadShape::kClipMm);
  Vec3 sum{};
  std::size_t n = 0;
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const std::size_t c = g.index(i, j, k);
        if (!s.filled[c] || !s.seen[c]) continue;
        const Vec3 p{g.lo[0] + i * g.step, g.lo[1] + j * g.step, g.lo[2] + k * g.step};
        sum = sum + p, ++n;
        for (const auto& d : kSix) {
          const int a = i + d[0], b = j + d[1], e = k + d[2];
          if (g.inside(a, b, e) && s.seen[g.index(a, b, e)] && !s.filled[g.index(a, b, e)]) {
            s.skin.push_back(p);
            break;
          }
        }
      }
  if (n > 0) s.centroid = (1.0 / static_cast<double>(n)) * sum;
  return s;
}

GridImage head_image(const Volume& volume, const HeadShape& head, double step_mm, bool is_ct) {
  GridImage image;
  DenseGrid& g = image.grid;
  g.step = step_mm, g.lo = head.grid.lo;
  const double span[3] = {(head.grid.nx - 1) * head.grid.step, (head.grid.ny - 1) * head.grid.step,
                          (head.grid.nz - 1) * head.grid.step};
  g.nx = static_cast<int>(span[0] / step_mm) + 1, g.ny = static_cast<int>(span[1] / step_mm) + 1,
  g.nz = static_cast<int>(span[2] / step_mm) + 1;
  image.values.assign(g.size(), 0);
  image.mask.assign(g.size(), 0);
  float lowest = 0;
  bool first = true;
  for (const float v : volume.data)
    if (first || v < lowest) lowest = v, first = false;
  if (is_ct) lowest = std::max(lowest, -1000.0f);
  for (int k = 0; k < g.nz; ++k)
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i) {
        const Vec3 p{g.lo[0] + i * step_mm, g.lo[1] + j * step_mm, g.lo[2] + k * step_mm};
        Vec3 ijk{};
        float v = lowest;
        if (volume.affine.to_voxel(p, ijk)) v = volume.sample(ijk[0], ijk[1], ijk[2], lowest);
        if (is_ct) v = std::clamp(v, -1000.0f, 2000.0f);
        const std::size_t at = g.index(i, j, k);
        image.values[at] = v;
        float d = 0;
        image.mask[at] = head.distance_at(p, d) && d <= kImageMarginMm;
      }
  return image;
}

}  // namespace radveil::face
