#include "face/volume.h"

#include <algorithm>
#include <cmath>

namespace radveil::face {

Vec3 operator+(const Vec3& a, const Vec3& b) { return {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }
Vec3 operator-(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 operator*(double s, const Vec3& a) { return {s * a[0], s * a[1], s * a[2]}; }
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }

Vec3 Affine::to_patient(double i, double j, double k) const {
  return origin + i * axis[0] + j * axis[1] + k * axis[2];
}

bool Affine::to_voxel(const Vec3& p, Vec3& ijk) const {
  // Cramer's rule on the 3x3 matrix whose columns are the axes.
  const Vec3 d = p - origin;
  const double det = dot(axis[0], cross(axis[1], axis[2]));
  if (std::abs(det) < 1e-12) return false;
  ijk[0] = dot(d, cross(axis[1], axis[2])) / det;
  ijk[1] = dot(axis[0], cross(d, axis[2])) / det;
  ijk[2] = dot(axis[0], cross(axis[1], d)) / det;
  return true;
}

float Volume::sample(double i, double j, double k, float outside) const {
  if (i < 0 || j < 0 || k < 0 || i > nx - 1 || j > ny - 1 || k > nz - 1) return outside;
  const int i0 = std::min(static_cast<int>(i), nx - 2 < 0 ? 0 : nx - 2);
  const int j0 = std::min(static_cast<int>(j), ny - 2 < 0 ? 0 : ny - 2);
  const int k0 = std::min(static_cast<int>(k), nz - 2 < 0 ? 0 : nz - 2);
  const double fi = i - i0, fj = j - j0, fk = k - k0;
  auto v = [&](int di, int dj, int dk) {
    return at(std::min(i0 + di, nx - 1), std::min(j0 + dj, ny - 1), std::min(k0 + dk, nz - 1));
  };
  const double c00 = v(0, 0, 0) * (1 - fi) + v(1, 0, 0) * fi, c10 = v(0, 1, 0) * (1 - fi) + v(1, 1, 0) * fi;
  const double c01 = v(0, 0, 1) * (1 - fi) + v(1, 0, 1) * fi, c11 = v(0, 1, 1) * (1 - fi) + v(1, 1, 1) * fi;
  const double c0 = c00 * (1 - fj) + c10 * fj, c1 = c01 * (1 - fj) + c11 * fj;
  return static_cast<float>(c0 * (1 - fk) + c1 * fk);
}

std::array<Vec3, 2> Volume::patient_bounds() const {
  Vec3 lo{1e9, 1e9, 1e9}, hi{-1e9, -1e9, -1e9};
  for (int c = 0; c < 8; ++c) {
    const Vec3 p = affine.to_patient((c & 1) ? nx - 1 : 0, (c & 2) ? ny - 1 : 0, (c & 4) ? nz - 1 : 0);
    for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], p[a]), hi[a] = std::max(hi[a], p[a]);
  }
  return {lo, hi};
}

}  // namespace radveil::face
