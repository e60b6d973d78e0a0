#include "face/nifti.h"

#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace radveil::face {
namespace {

std::vector<unsigned char> read_all(const std::filesystem::path& path) {
  // gzopen reads plain files as they are, so .nii and .nii.gz take the same path.
  gzFile in = gzopen(path.c_str(), "rb");
  if (!in) throw NiftiError("cannot open the template file");
  std::vector<unsigned char> bytes;
  unsigned char buffer[1 << 16];
  for (;;) {
    const int n = gzread(in, buffer, sizeof buffer);
    if (n < 0) {
      gzclose(in);
      throw NiftiError("the template file is not readable gzip");
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
    if (bytes.size() > (std::size_t{1} << 31)) {
      gzclose(in);
      throw NiftiError("the template file is larger than any head template");
    }
  }
  gzclose(in);
  return bytes;
}

template <typename T>
T field(const std::vector<unsigned char>& b, std::size_t offset) {
  T v;
  std::memcpy(&v, b.data() + offset, sizeof v);
  return v;
}

}  // namespace

Volume read_nifti(const std::filesystem::path& path) {
  const std::vector<unsigned char> b = read_all(path);
  if (b.size() < 352 || field<std::int32_t>(b, 0) != 348) throw NiftiError("not a little-endian NIfTI-1 file");
  const auto dim = [&](int i) { return static_cast<int>(field<std::int16_t>(b, 40 + 2 * static_cast<std::size_t>(i))); };
  if (dim(0) < 3 || dim(1) < 1 || dim(2) < 1 || dim(3) < 1 || dim(1) > 2048 || dim(2) > 2048 || dim(3) > 2048)
    throw NiftiError("NIfTI dimensions are not those of one 3D volume");
  const int datatype = field<std::int16_t>(b, 70);
  const auto offset = static_cast<std::size_t>(field<float>(b, 108));
  const float slope = field<float>(b, 112), intercept = field<float>(b, 116);
  Volume v(dim(1), dim(2), dim(3));
  const std::size_t count = v.data.size();
  const std::size_t bytes_per = datatype == 2 ? 1 : datatype == 4 || datatype == 512 ? 2 : datatype == 16 ? 4 : 0;
  if (bytes_per == 0) throw NiftiError("NIfTI voxel type " + std::to_string(datatype) + " is not supported");
  if (offset < 348 || offset + count * bytes_per > b.size()) throw NiftiError("the NIfTI file is truncated");
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* p = b.data() + offset + i * bytes_per;
    float x = 0;
    if (datatype == 2) x = p[0];
    else if (datatype == 4) x = static_cast<float>(field<std::int16_t>(b, offset + i * 2));
    else if (datatype == 512) x = static_cast<float>(field<std::uint16_t>(b, offset + i * 2));
    else std::memcpy(&x, p, 4);
    v.data[i] = slope != 0 && std::isfinite(slope) ? x * slope + intercept : x;
  }
  // RAS world from the sform rows; LPS is (-x, -y, z).
  double srow[3][4];
  if (field<std::int16_t>(b, 254) > 0) {
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) srow[r][c] = field<float>(b, 280 + 16 * static_cast<std::size_t>(r) + 4 * static_cast<std::size_t>(c));
  } else {
    std::memset(srow, 0, sizeof srow);
    for (int r = 0; r < 3; ++r) srow[r][r] = field<float>(b, 80 + 4 * static_cast<std::size_t>(r));
  }
  const double sign[3] = {-1, -1, 1};
  for (int r = 0; r < 3; ++r) {
    v.affine.origin[r] = sign[r] * srow[r][3];
    for (int a = 0; a < 3; ++a) v.affine.axis[a][r] = sign[r] * srow[r][a];
  }
  Vec3 unused{};
  if (!v.affine.to_voxel(v.affine.origin, unused)) throw NiftiError("the NIfTI voxel-to-world map is singular");
  return v;
}

}  // namespace radveil::face
