#include "face/face_geometry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace radveil::face {
namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
// The ring around a nose tip candidate (cheeks, upper lip, bridge) whose skin a plane is fitted
// to: the tip stands highest above it whatever the head's pitch.
constexpr double kNoseRingMm = 25;
constexpr int kRingSamples = 24;
// A tip also stands out sideways (skin 16-22 mm to either side) by at least this much and this
// share of its height above the ring: a chin or a brow stands out above its ring, hardly sideways.
constexpr double kMinTipSidewaysMm = 2, kMinTipSidewaysShare = 0.25;
constexpr double kTipClimbStepMm = 12;  // the climb to the tip looks this far around each time
constexpr int kTipClimbSteps = 4;       // ... at most this often (48 mm: the length of a nose)
}

double FrontalSurface::at(double x, double z) const {
  const int col = static_cast<int>(std::lround(x - x0)), row = static_cast<int>(std::lround(z_top - z));
  if (row < 0 || col < 0 || row >= y_surface.rows || col >= y_surface.cols) return kNaN;
  return y_surface.at<float>(row, col);
}

FrontalSurface frontal_surface(const Volume& volume, float threshold) {
  return frontal_surface(volume, volume.affine, threshold);
}

FrontalSurface frontal_surface(const Volume& volume, const Affine& affine, float threshold) {
  return frontal_surface(volume, affine, threshold, SurfaceWindow{-1e9, 1e9, -1e9, 1e9});
}

FrontalSurface frontal_surface(const Volume& volume, const Affine& affine, float threshold, const SurfaceWindow& window) {
  Vec3 lo{1e9, 1e9, 1e9}, hi{-1e9, -1e9, -1e9};
  for (int c = 0; c < 8; ++c) {
    const Vec3 p = affine.to_patient((c & 1) ? volume.nx - 1 : 0, (c & 2) ? volume.ny - 1 : 0, (c & 4) ? volume.nz - 1 : 0);
    for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], p[a]), hi[a] = std::max(hi[a], p[a]);
  }
  lo[0] = std::max(lo[0], window.x_lo), hi[0] = std::min(hi[0], window.x_hi);
  lo[2] = std::max(lo[2], window.z_lo), hi[2] = std::min(hi[2], window.z_hi);
  FrontalSurface s;
  if (lo[0] > hi[0] || lo[2] > hi[2]) {  // the window lies outside the volume
    s.y_surface = cv::Mat(1, 1, CV_32FC1, cv::Scalar(kNaN));
    return s;
  }
  s.x0 = lo[0];
  s.z_top = hi[2];
  const int cols = static_cast<int>(hi[0] - lo[0]) + 1, rows = static_cast<int>(hi[2] - lo[2]) + 1;
  s.y_surface = cv::Mat(rows, cols, CV_32FC1, cv::Scalar(kNaN));
  const double step = std::max(0.3, 0.5 * std::min({norm(affine.axis[0]), norm(affine.axis[1]),
                                                  norm(affine.axis[2])}));
  cv::parallel_for_(cv::Range(0, rows), [&](const cv::Range& range) {
    for (int row = range.start; row < range.end; ++row)
      for (int col = 0; col < cols; ++col) {
        const double x = s.x0 + col, z = s.z_top - row;
        Vec3 v0, v1;
        if (!affine.to_voxel({x, lo[1], z}, v0) || !affine.to_voxel({x, lo[1] + step, z}, v1)) continue;
        const Vec3 dv = v1 - v0;
        const double steps = (hi[1] - lo[1]) / step;
        for (double n = 0; n <= steps; n += 1) {
          const Vec3 q = v0 + n * dv;
          if (volume.sample(q[0], q[1], q[2], threshold - 1) > threshold) {
            s.y_surface.at<float>(row, col) = static_cast<float>(lo[1] + n * step);
            break;
          }
        }
      }
  });
  return s;
}

std::optional<FaceLandmarks> find_face_landmarks(const FrontalSurface& s, std::optional<NosePosition> known_nose) {
  // Extent of the skin in x and z.
  int top = -1, bottom = -1, left = s.y_surface.cols, right = -1;
  for (int r = 0; r < s.y_surface.rows; ++r)
    for (int c = 0; c < s.y_surface.cols; ++c)
      if (!std::isnan(s.y_surface.at<float>(r, c))) {
        if (top < 0) top = r;
        bottom = r;
        left = std::min(left, c), right = std::max(right, c);
      }
  if (top < 0) return std::nullopt;
  const double x_mid = s.x0 + (left + right) / 2.0, half_width = (right - left) / 2.0;
  const double z_hi = s.z_top - top, z_lo = s.z_top - bottom;
  // Protrusion of a point over the skin to either side (the nearer of a few samples there). The
  // nose is located with the skin 30-40 mm away (robust on coarse scans), and judged with the skin
  // 16-22 mm away: a nose is a local peak, where a round head or a knee only curves away. First a median filter, so that speckle in the air (beards, noise) is no nose,
  // then a grey closing that removes protrusions narrower than 9 mm (tubes, cables, hair).
  cv::Mat smooth, median;
  cv::Mat filled = s.y_surface.clone();
  filled.setTo(1e4f, filled != filled);  // NaN: far behind everything
  cv::medianBlur(filled, median, 5);
  cv::morphologyEx(median, smooth, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(9, 9)));
  FrontalSurface m = s;
  m.y_surface = smooth;
  auto side_y = [&](double x, double z, double side, double near, double far) {
    double y_min = std::numeric_limits<double>::infinity();
    const double rise = far >= 30 ? 15 : 10;  // how far above the point the side is sampled
    for (double dx = near; dx <= far; dx += 2)
      for (double dz = 0; dz <= rise; dz += 5) {
        const double y = m.at(x + side * dx, z + dz);
        if (!std::isnan(y) && y < 9e3) y_min = std::min(y_min, y);  // no skin there: no evidence
      }
    return y_min;
  };
  auto protrusion_at = [&](double x, double z, double near = 30, double far = 40) {
    const double y = m.at(x, z);
    if (std::isnan(y) || y > 9e3) return 0.0;
    // Both sides need skin; the nose stands out from the nearer of the two.
    const double a = side_y(x, z, -1, near, far), b = side_y(x, z, +1, near, far);
    if (!std::isfinite(a) || !std::isfinite(b)) return 0.0;
    return std::min(a, b) - y;
  };
  // How far the skin at a point stands out over the plane fitted to the skin on a ring around it
  // (-inf where less than two thirds of the ring has skin: a field of view cut there).
  auto height_above_ring = [&](double x, double z) {
    const double y = m.at(x, z);
    if (std::isnan(y) || y > 9e3) return -std::numeric_limits<double>::infinity();
    cv::Matx33d normal = cv::Matx33d::zeros();
    cv::Vec3d rhs(0, 0, 0);
    int valid = 0;
    for (int k = 0; k < kRingSamples; ++k) {
      const double angle = 2 * std::numbers::pi * k / kRingSamples;
      const double dx = kNoseRingMm * std::cos(angle), dz = kNoseRingMm * std::sin(angle);
      const double ry = m.at(x + dx, z + dz);
      if (std::isnan(ry) || ry > 9e3) continue;
      const cv::Vec3d row(1, dx, dz);
      normal += row * row.t();
      rhs += ry * row;
      ++valid;
    }
    if (valid * 3 < kRingSamples * 2) return -std::numeric_limits<double>::infinity();
    cv::Vec3d plane;
    if (!cv::solve(normal, rhs, plane, cv::DECOMP_CHOLESKY)) return -std::numeric_limits<double>::infinity();
    return plane[0] - y;
  };
  auto tip_score = [&](double x, double z) {
    const double y = m.at(x, z);
    if (std::isnan(y) || y > 9e3) return -std::numeric_limits<double>::infinity();
    const double a = side_y(x, z, -1, 16, 22), b = side_y(x, z, +1, 16, 22);  // the nearer side with skin
    if (!std::isfinite(a) && !std::isfinite(b)) return -std::numeric_limits<double>::infinity();
    const double height = height_above_ring(x, z), sideways = std::min(a, b) - y;
    return sideways >= std::max(kMinTipSidewaysMm, kMinTipSidewaysShare * height) ? height
                                                                                  : -std::numeric_limits<double>::infinity();
  };
  FaceLandmarks f;
  if (known_nose) {
    const double y = m.at(known_nose->x, known_nose->z);
    if (std::isnan(y) || y > 9e3) return std::nullopt;
    f.nose_tip = {known_nose->x, y, known_nose->z};
  } else {
    // The nose: of the points that protrude nearly as much as the most protruding one, the most
    // superior (the chin protrudes as well, but lies below).
    double best = 0;
    for (double z = z_lo; z <= z_hi - (z_hi - z_lo) / 4; z += 2)
      for (double x = x_mid - half_width / 3; x <= x_mid + half_width / 3; x += 2) best = std::max(best, protrusion_at(x, z));
    if (best <= 0) return std::nullopt;
    bool found = false;
    for (double z = z_hi - (z_hi - z_lo) / 4; z >= z_lo && !found; z -= 2)
      for (double x = x_mid - half_width / 3; x <= x_mid + half_width / 3; x += 2)
        if (protrusion_at(x, z) >= 0.7 * best) {
          f.nose_tip = {x, m.at(x, z), z};
          found = true;
          break;
        }
    // Refine: the most anterior point within 12 mm.
    const Vec3 coarse = f.nose_tip;
    for (double z = coarse[2] - 12; z <= coarse[2] + 12; z += 1)
      for (double x = coarse[0] - 12; x <= coarse[0] + 12; x += 1) {
        const double y = m.at(x, z);
        if (!std::isnan(y) && y < f.nose_tip[1]) f.nose_tip = {x, y, z};
      }
    // On a head pitched chin-down the most anterior point is up on the bridge, the tip further
    // down (27 mm on the CT head): from there, up the tip score's slope to its top. A climb and
    // not a search of the whole face: a chin or a tube from the mouth can score higher than the
    // nose, below it, with the upper lip's low score between.
    double highest = tip_score(f.nose_tip[0], f.nose_tip[2]);
    for (int climb = 0; climb < kTipClimbSteps && std::isfinite(highest); ++climb) {
      const Vec3 from = f.nose_tip;
      for (double z = from[2] - kTipClimbStepMm; z <= from[2] + kTipClimbStepMm; z += 1)
        for (double x = from[0] - kTipClimbStepMm; x <= from[0] + kTipClimbStepMm; x += 1)
          if (const double score = tip_score(x, z); score > highest) highest = score, f.nose_tip = {x, m.at(x, z), z};
      if (f.nose_tip[0] == from[0] && f.nose_tip[2] == from[2]) break;
    }
  }
  f.face_half_width_mm = std::min(70.0, 0.75 * half_width);
  f.protrusion_mm = protrusion_at(f.nose_tip[0], f.nose_tip[2], 16, 22);
  // The brow: 30 mm to each side of the nose, going up, the skin recedes into the orbit and comes
  // forward again at the brow ridge. Without such a profile, 55 mm above the nose tip.
  auto column_y = [&](double x, double z) {
    double sum = 0;
    int n = 0;
    for (double dx = -5; dx <= 5; dx += 1) {
      const double y = m.at(x + dx, z);
      if (!std::isnan(y) && y < 9e3) sum += y, ++n;
    }
    return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
  };
  // The brow and the eyes by the proportions of a face, anchored on the nose tip: eyes about
  // 35 mm above it and 30 mm to each side, the brow ridge at least 60 mm above it. Where the
  // profile 30 mm beside the nose shows a brow ridge higher up (the skin coming forward again above
  // the orbit), the brow is put there instead.
  // A frontal ray can pass a thin lid into a dark eyeball (T1 MR) and measure the back of the
  // orbit: no lid lies deeper than kMaxEyeBehindNoseMm behind the nose tip.
  for (double side : {-1.0, 1.0}) {
    const double x = f.nose_tip[0] + side * 30, z = f.nose_tip[2] + 35;
    f.eyes.push_back({x, std::min(column_y(x, z), f.nose_tip[1] + kMaxEyeBehindNoseMm), z});
  }
  f.brow_z = f.nose_tip[2] + kLowestBrowAboveNoseMm;
  for (double side : {-1.0, 1.0}) {
    const double x = f.nose_tip[0] + side * 30;
    double deepest = -1e9, ridge_z = std::numeric_limits<double>::quiet_NaN();
    for (double z = f.nose_tip[2] + 25; z <= f.nose_tip[2] + 80; z += 1) {
      const double y = column_y(x, z);
      if (std::isnan(y)) continue;
      deepest = std::max(deepest, y);
      if (y < deepest - 3 && std::isnan(ridge_z)) ridge_z = z;  // coming forward again: the ridge
    }
    if (!std::isnan(ridge_z)) f.brow_z = std::max(f.brow_z, std::min(ridge_z + 5, f.nose_tip[2] + 80));
  }
  f.chin = {f.nose_tip[0], 1e9, f.nose_tip[2] - 70};
  for (double z = f.nose_tip[2] - 100; z <= f.nose_tip[2] - 40; z += 1)
    for (double x = f.nose_tip[0] - 15; x <= f.nose_tip[0] + 15; x += 1) {
      const double y = m.at(x, z);
      if (!std::isnan(y) && y < f.chin[1]) f.chin = {x, y, z};
    }
  return f;
}

namespace {

// The points face_region_removed looks at (patient x and z), and the most anterior skin within
// 3 mm of a point (+inf where none).
std::vector<Vec3> face_region_points(const FaceLandmarks& face) {
  // The nose tip, the eyes, and a grid over the whole face region around them: landmarks a few
  // mm off (a head pitched in the scanner) must not let an eye that stayed pass unnoticed.
  std::vector<Vec3> points{face.nose_tip};
  points.insert(points.end(), face.eyes.begin(), face.eyes.end());
  for (double dx = -kFaceGridHalfWidthMm; dx <= kFaceGridHalfWidthMm; dx += kFaceGridStepMm)
    for (double dz = kFaceGridBelowNoseMm; dz <= kFaceGridAboveNoseMm; dz += kFaceGridStepMm)
      points.push_back({face.nose_tip[0] + dx, 0, face.nose_tip[2] + dz});
  return points;
}

double nearest_skin_around(const FrontalSurface& surface, double x, double z) {
  constexpr double kSkinAroundMm = 3;
  double nearest = std::numeric_limits<double>::infinity();
  for (double dx = -kSkinAroundMm; dx <= kSkinAroundMm; dx += 1)
    for (double dz = -kSkinAroundMm; dz <= kSkinAroundMm; dz += 1)
      if (const double y = surface.at(x + dx, z + dz); !std::isnan(y)) nearest = std::min(nearest, y);
  return nearest;
}

}  // namespace

std::string UnmovedFacePoint::describe() const {
  char text[160];
  std::snprintf(text, sizeof text, "the skin %.0f mm %s of the nose tip and %.0f mm %s it moved %.1f mm", std::abs(dx),
                dx < 0 ? "right" : "left", std::abs(dz), dz < 0 ? "below" : "above", moved_mm);
  return text;
}

std::optional<UnmovedFacePoint> unmoved_face_point(const FaceLandmarks& face, const FrontalSurface& before,
                                                   const FrontalSurface& after, double min_mm) {
  for (const Vec3& p : face_region_points(face)) {
    const double was = nearest_skin_around(before, p[0], p[2]), now = nearest_skin_around(after, p[0], p[2]);
    // Moved back by the cut, or forward where a cavity (an open orbit) was closed over.
    if (std::isfinite(now) && std::isfinite(was) && std::abs(now - was) < min_mm)
      return UnmovedFacePoint{p[0] - face.nose_tip[0], p[2] - face.nose_tip[2], std::abs(now - was)};
  }
  return std::nullopt;
}

}  // namespace radveil::face
