#pragma once
// A 3D image and where its voxels sit in DICOM patient coordinates (LPS: x to the patient's left,
// y to posterior, z to superior), by an affine map that may be oblique or sheared (gantry tilt).
#include <array>
#include <cstddef>
#include <vector>

namespace radveil::face {

using Vec3 = std::array<double, 3>;

struct Affine {
  Vec3 origin{};                 // patient position of voxel (0,0,0)
  std::array<Vec3, 3> axis{};    // patient step for +1 along i (columns), j (rows), k (slices)

  Vec3 to_patient(double i, double j, double k) const;
  // Voxel coordinates of a patient point; false if the affine is singular.
  bool to_voxel(const Vec3& p, Vec3& ijk) const;
};

struct Volume {
  int nx = 0, ny = 0, nz = 0;
  std::vector<float> data;  // x fastest
  Affine affine;

  Volume() = default;
  Volume(int x, int y, int z) : nx(x), ny(y), nz(z), data(static_cast<std::size_t>(x) * y * z, 0.0f) {}
  std::size_t index(int i, int j, int k) const {
    return (static_cast<std::size_t>(k) * ny + j) * nx + i;
  }
  float& at(int i, int j, int k) { return data[index(i, j, k)]; }
  float at(int i, int j, int k) const { return data[index(i, j, k)]; }
  bool inside(int i, int j, int k) const { return i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz; }
  // Trilinear sample at fractional voxel coordinates; `outside` beyond the grid.
  float sample(double i, double j, double k, float outside) const;
  // The patient-space box around the grid's corner voxels: {lowest, highest} per axis.
  std::array<std::array<double, 3>, 2> patient_bounds() const;
};

Vec3 operator+(const Vec3& a, const Vec3& b);
Vec3 operator-(const Vec3& a, const Vec3& b);
Vec3 operator*(double s, const Vec3& a);
double dot(const Vec3& a, const Vec3& b);
Vec3 cross(const Vec3& a, const Vec3& b);
double norm(const Vec3& a);

}  // namespace radveil::face
