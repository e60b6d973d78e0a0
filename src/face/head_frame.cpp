#include "face/head_frame.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <vector>


namespace radveil::face {
namespace {

constexpr double kDeg = std::numbers::pi / 180;
constexpr double kGridMm = TissueBody::kGridMm;

Vec3 unit(const Vec3& v) { return (1.0 / std::max(1e-12, norm(v))) * v; }

// Skin cells of the main body: a body cell with air of the field of view beside it (the edge of
// the field of view is no skin: a cut through the head is not mirrored by anything).
struct Skin {
  std::vector<Vec3> points;
  std::vector<std::uint8_t> band;  // skin cells and their neighbours: "skin within one cell"
};

Skin skin_of(const TissueBody& t) {
  static constexpr int kSteps[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
  Skin s;
  std::vector<std::uint8_t> skin(t.body.size(), 0);
  for (int k = 0; k < t.nz; ++k)
    for (int j = 0; j < t.ny; ++j)
      for (int i = 0; i < t.nx; ++i) {
        const std::size_t c = t.index(i, j, k);
        if (!t.body[c]) continue;
        for (const auto& d : kSteps) {
          const int a = i + d[0], b = j + d[1], e = k + d[2];
          if (t.inside(a, b, e) && t.in_view[t.index(a, b, e)] && !t.body[t.index(a, b, e)]) {
            skin[c] = 1;
            s.points.push_back(t.position(c));
            break;
          }
        }
      }
  s.band = skin;
  for (int k = 0; k < t.nz; ++k)
    for (int j = 0; j < t.ny; ++j)
      for (int i = 0; i < t.nx; ++i) {
        if (!skin[t.index(i, j, k)]) continue;
        for (const auto& d : kSteps) {
          const int a = i + d[0], b = j + d[1], e = k + d[2];
          if (t.inside(a, b, e)) s.band[t.index(a, b, e)] = 1;
        }
      }
  return s;
}

struct Plane {
  Vec3 normal{1, 0, 0};
  double offset = 0;  // dot(normal, p) on the plane
  double score = -1;
};

// The plane's normal for a turn of `yaw` about the patient's z and `roll` about its y (degrees).
Vec3 normal_for(double yaw, double roll) { return unit({1, std::tan(yaw * kDeg), std::tan(roll * kDeg)}); }

// Fraction of skin points whose mirror image lies on skin (within one cell), among those whose
// image falls inside the field of view; 0 when fewer than half of them do.
double mirror_score(const TissueBody& t, const Skin& skin, const std::vector<Vec3>& points, const Vec3& n,
                    double offset) {
  std::size_t known = 0, hits = 0;
  for (const Vec3& p : points) {
    const double dist = dot(n, p) - offset;
    const Vec3 q = p - (2 * dist) * n;
    const int i = static_cast<int>(std::lround((q[0] - t.lo[0]) / kGridMm)),
              j = static_cast<int>(std::lround((q[1] - t.lo[1]) / kGridMm)),
              k = static_cast<int>(std::lround((q[2] - t.lo[2]) / kGridMm));
    if (!t.inside(i, j, k)) continue;
    const std::size_t c = t.index(i, j, k);
    if (!t.in_view[c]) continue;
    ++known;
    hits += skin.band[c];
  }
  if (known * 2 < points.size()) return 0;
  return static_cast<double>(hits) / static_cast<double>(known);
}

Plane search(const TissueBody& t, const Skin& skin, const std::vector<Vec3>& points, const Vec3& centre,
             double yaw0, double roll0, double angle_span, double angle_step, double offset_span,
             double offset_step, const Plane* around) {
  Plane best;
  for (double yaw = yaw0 - angle_span; yaw <= yaw0 + angle_span + 1e-9; yaw += angle_step)
    for (double roll = roll0 - angle_span; roll <= roll0 + angle_span + 1e-9; roll += angle_step) {
      const Vec3 n = normal_for(yaw, roll);
      const double d0 = around ? around->offset : dot(n, centre);
      for (double d = d0 - offset_span; d <= d0 + offset_span + 1e-9; d += offset_step) {
        const double s = mirror_score(t, skin, points, n, d);
        if (s > best.score) best = {n, d, s};
      }
    }
  return best;
}

std::vector<Vec3> every_nth(const std::vector<Vec3>& points, std::size_t at_most) {
  std::vector<Vec3> subset;
  const std::size_t stride = std::max<std::size_t>(1, points.size() / at_most);
  for (std::size_t i = 0; i < points.size(); i += stride) subset.push_back(points[i]);
  return subset;
}

double yaw_of(const Vec3& n) { return std::atan2(n[1], n[0]) / kDeg; }
double roll_of(const Vec3& n) { return std::atan2(n[2], n[0]) / kDeg; }

Vec3 centroid(const std::vector<Vec3>& points) {
  Vec3 sum{};
  for (const Vec3& p : points) sum = sum + p;
  return (1.0 / static_cast<double>(points.size())) * sum;
}

// The plane of mirror symmetry: a coarse search over turns up to 40 degrees on a subset of skin
// points (offsets around `centre`), refined twice on more of them.
Plane symmetry_plane(const TissueBody& t, const Skin& skin, const Vec3& centre) {
  const std::vector<Vec3> coarse_points = every_nth(skin.points, 1500), fine_points = every_nth(skin.points, 6000);
  const Plane coarse = search(t, skin, coarse_points, centre, 0, 0, 40, 5, 30, 3, nullptr);
  const Plane medium =
      search(t, skin, fine_points, centre, yaw_of(coarse.normal), roll_of(coarse.normal), 4, 2, 3, 1.5, &coarse);
  return search(t, skin, fine_points, centre, yaw_of(medium.normal), roll_of(medium.normal), 1, 1, 1.5, 0.75, &medium);
}

}  // namespace

Vec3 HeadFrame::to_head(const Vec3& p) const {
  const Vec3 d = p - origin;
  return {dot(d, left), dot(d, posterior), dot(d, superior)};
}

Affine HeadFrame::in_head(const Affine& patient) const {
  Affine a;
  a.origin = to_head(patient.origin);
  for (int i = 0; i < 3; ++i)
    a.axis[i] = {dot(patient.axis[i], left), dot(patient.axis[i], posterior), dot(patient.axis[i], superior)};
  return a;
}

std::string HeadFrame::describe() const {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << "head turned " << std::atan2(-left[1], left[0]) / kDeg << " deg about z, "
      << std::atan2(posterior[2], posterior[1]) / kDeg << " about x, " << std::atan2(left[2], left[0]) / kDeg
      << " about y; symmetry " << symmetry;
  return out.str();
}

std::optional<HeadFrame> find_head_frame(const TissueBody& body) {
  const Skin skin = skin_of(body);
  if (skin.points.size() < 200) return std::nullopt;
  const Vec3 centre = centroid(skin.points);
  const Plane plane = symmetry_plane(body, skin, centre);
  if (plane.score < kMinSymmetry) return std::nullopt;
  HeadFrame f;
  f.symmetry = plane.score;
  f.left = plane.normal;  // normal_for keeps x positive: the patient's left
  f.superior = unit(Vec3{0, 0, 1} - plane.normal[2] * plane.normal);
  f.posterior = cross(f.superior, f.left);
  f.origin = centre - (dot(plane.normal, centre) - plane.offset) * plane.normal;
  // The pitch stays the scanner's: no cue measured on the mid-sagittal profile (the face's slope
  // against the vault's centre; the nose as the profile's sharpest peak) held across the corpus
  // heads and the phantom (docs/face-removal.md). The landmark search and the cut tolerate the
  // pitch heads lie at, and what they miss the verification refuses.
  return f;
}

}  // namespace radveil::face
