#include "face/surface_render.h"

#include <algorithm>
#include <cmath>

namespace radveil::face {
namespace {

constexpr double kPi = 3.14159265358979323846;

Vec3 rotate(const Vec3& v, double yaw_deg, double pitch_deg) {
  // Yaw about the superior axis (z), then pitch about the patient's left axis (x).
  const double a = yaw_deg * kPi / 180, b = pitch_deg * kPi / 180;
  const Vec3 y{v[0] * std::cos(a) - v[1] * std::sin(a), v[0] * std::sin(a) + v[1] * std::cos(a), v[2]};
  return {y[0], y[1] * std::cos(b) - y[2] * std::sin(b), y[1] * std::sin(b) + y[2] * std::cos(b)};
}

}  // namespace

const std::vector<View>& standard_views() {
  static const std::vector<View> kViews = {{0, 0},   {-15, 0},   {15, 0},  {-30, 0}, {30, 0},
                                           {0, -20}, {0, 20},    {-20, -10}, {20, 10}};
  return kViews;
}

float skin_threshold(const Volume& v, bool is_ct) {
  if (is_ct) return -400.0f;
  // Air: the outer shell of voxels; tissue: the upper percentiles of the whole volume.
  std::vector<float> border, all;
  const int step = std::max(1, static_cast<int>(std::cbrt(static_cast<double>(v.data.size()) / 200000.0)));
  for (int k = 0; k < v.nz; k += step)
    for (int j = 0; j < v.ny; j += step)
      for (int i = 0; i < v.nx; i += step) {
        const float x = v.at(i, j, k);
        all.push_back(x);
        if (i < 3 || j < 3 || k < 3 || i >= v.nx - 3 || j >= v.ny - 3 || k >= v.nz - 3) border.push_back(x);
      }
  if (all.empty()) return 0;
  auto percentile = [](std::vector<float>& xs, double q) {
    const auto n = static_cast<std::size_t>(q * static_cast<double>(xs.size() - 1));
    std::nth_element(xs.begin(), xs.begin() + static_cast<long>(n), xs.end());
    return xs[n];
  };
  const float air = border.empty() ? 0 : percentile(border, 0.95);
  const float tissue = percentile(all, 0.98);
  return air + 0.2f * (tissue - air);
}

SurfaceRenderer::SurfaceRenderer(const Volume& volume, float threshold) : volume_(volume), threshold_(threshold) {
  // Centre and extent of what is above the threshold.
  // Centre and radius of what is above the threshold: rays only march through that sphere.
  std::vector<Vec3> points;
  const int stride = 2;
  for (int k = 0; k < volume.nz; k += stride)
    for (int j = 0; j < volume.ny; j += stride)
      for (int i = 0; i < volume.nx; i += stride)
        if (volume.at(i, j, k) > threshold) points.push_back(volume.affine.to_patient(i, j, k));
  const Vec3 mid = volume.affine.to_patient((volume.nx - 1) / 2.0, (volume.ny - 1) / 2.0, (volume.nz - 1) / 2.0);
  Vec3 sum{0, 0, 0};
  for (const auto& p : points) sum = sum + p;
  center_ = points.empty() ? mid : (1.0 / static_cast<double>(points.size())) * sum;
  double r = 10;
  for (const auto& p : points) r = std::max(r, norm(p - center_));
  radius_ = r + 2 * norm(volume.affine.axis[2]);
  // One sample per voxel (the smallest spacing), refined by bisection at the surface.
  step_mm_ = std::max(0.5, 0.9 * std::min({norm(volume.affine.axis[0]), norm(volume.affine.axis[1]),
                                           norm(volume.affine.axis[2])}));
}

float SurfaceRenderer::value_at(const Vec3& p) const {
  Vec3 ijk;
  if (!volume_.affine.to_voxel(p, ijk)) return threshold_ - 1;
  return volume_.sample(ijk[0], ijk[1], ijk[2], threshold_ - 1);
}

Rendering SurfaceRenderer::render(const View& view) const {
  const Vec3 forward = rotate({0, 1, 0}, view.yaw_deg, view.pitch_deg);  // from anterior towards posterior
  const Vec3 right = rotate({1, 0, 0}, view.yaw_deg, view.pitch_deg);    // the patient's left, on screen right
  const Vec3 up = rotate({0, 0, 1}, view.yaw_deg, view.pitch_deg);
  const int size = 256;
  Rendering out;
  out.mm_per_pixel = std::max(0.5, 2 * radius_ / size);
  out.image = cv::Mat::zeros(size, size, CV_8UC1);
  out.depth = cv::Mat(size, size, CV_32FC1, cv::Scalar(-1));
  const Vec3 light = -1.0 * forward;
  cv::parallel_for_(cv::Range(0, size), [&](const cv::Range& rows) {
    for (int row = rows.start; row < rows.end; ++row)
      for (int col = 0; col < size; ++col) {
        const double u = (col - size / 2.0) * out.mm_per_pixel, v = (size / 2.0 - row) * out.mm_per_pixel;
        const Vec3 start = center_ + u * right + v * up - radius_ * forward;
        // March in voxel coordinates: one inverse per ray, then steps are additions.
        Vec3 v0, v1;
        if (!volume_.affine.to_voxel(start, v0) || !volume_.affine.to_voxel(start + step_mm_ * forward, v1)) continue;
        const Vec3 dv = v1 - v0;
        auto voxel_value = [&](double t_steps) {
          const Vec3 q = v0 + t_steps * dv;
          return volume_.sample(q[0], q[1], q[2], threshold_ - 1);
        };
        const double steps = 2 * radius_ / step_mm_;
        double hit = -1;
        for (double n = 0; n <= steps; n += 1) {
          if (voxel_value(n) > threshold_) {
            // Refine the crossing between the last two samples.
            double lo = std::max(0.0, n - 1), hi = n;
            for (int it = 0; it < 5; ++it) {
              const double mid = (lo + hi) / 2;
              (voxel_value(mid) > threshold_ ? hi : lo) = mid;
            }
            hit = hi * step_mm_;
            break;
          }
        }
        if (hit < 0) continue;
        const Vec3 p = start + hit * forward;
        const double h = 1.0;
        Vec3 g{value_at(p + Vec3{h, 0, 0}) - value_at(p - Vec3{h, 0, 0}),
               value_at(p + Vec3{0, h, 0}) - value_at(p - Vec3{0, h, 0}),
               value_at(p + Vec3{0, 0, h}) - value_at(p - Vec3{0, 0, h})};
        const double gn = norm(g);
        const double lambert = gn > 0 ? std::max(0.0, -dot(g, light) / gn) : 0.5;
        out.image.at<unsigned char>(row, col) = static_cast<unsigned char>(std::clamp(30 + 225 * lambert, 0.0, 255.0));
        out.depth.at<float>(row, col) = static_cast<float>(hit);
      }
  });
  return out;
}

}  // namespace radveil::face
