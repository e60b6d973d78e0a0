#include "face/series_volume.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "dicom/values.h"

namespace radveil::face {
namespace {

struct FrameGeometry {
  Vec3 position;
  Vec3 row_dir, col_dir;     // IOP: along a row (increasing column), along a column (increasing row)
  double row_spacing = 0;    // between rows
  double col_spacing = 0;    // between columns
};

std::vector<double> numbers(DcmItem& item, const DcmTagKey& tag) {
  std::vector<double> out;
  const std::string value = dicom::get_string(item, tag);  // outlives the views split from it
  if (value.empty()) return out;
  for (auto v : dicom::split_values(value)) {
    const std::string text(v);
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end == text.c_str()) return {};
    out.push_back(d);
  }
  return out;
}

DcmItem* item_of(DcmItem& parent, const DcmTagKey& seq, unsigned long index = 0) {
  DcmItem* item = nullptr;
  return parent.findAndGetSequenceItem(seq, item, static_cast<int>(index)).good() ? item : nullptr;
}

// Looks for `tag` in the frame's functional groups, then the shared ones, then the top level.
std::vector<double> frame_numbers(DcmDataset& ds, unsigned long frame, const DcmTagKey& macro, const DcmTagKey& tag) {
  for (DcmItem* groups : {item_of(ds, DCM_PerFrameFunctionalGroupsSequence, frame),
                          item_of(ds, DCM_SharedFunctionalGroupsSequence)}) {
    if (!groups) continue;
    if (DcmItem* m = item_of(*groups, macro)) {
      auto v = numbers(*m, tag);
      if (!v.empty()) return v;
    }
  }
  return numbers(ds, tag);
}

FrameGeometry frame_geometry(DcmDataset& ds, unsigned long frame) {
  const auto ipp = frame_numbers(ds, frame, DCM_PlanePositionSequence, DCM_ImagePositionPatient);
  const auto iop = frame_numbers(ds, frame, DCM_PlaneOrientationSequence, DCM_ImageOrientationPatient);
  const auto ps = frame_numbers(ds, frame, DCM_PixelMeasuresSequence, DCM_PixelSpacing);
  if (ipp.size() != 3 || iop.size() != 6 || ps.size() != 2 || ps[0] <= 0 || ps[1] <= 0)
    throw VolumeError("missing or invalid Image Position/Orientation (Patient) or Pixel Spacing");
  FrameGeometry g;
  g.position = {ipp[0], ipp[1], ipp[2]};
  g.row_dir = {iop[0], iop[1], iop[2]};
  g.col_dir = {iop[3], iop[4], iop[5]};
  g.row_spacing = ps[0];
  g.col_spacing = ps[1];
  if (std::abs(norm(g.row_dir) - 1) > 0.01 || std::abs(norm(g.col_dir) - 1) > 0.01 ||
      std::abs(dot(g.row_dir, g.col_dir)) > 0.01)
    throw VolumeError("Image Orientation (Patient) is not two orthogonal unit vectors");
  return g;
}

struct RescaleFn {
  double slope = 1, intercept = 0;
};

RescaleFn rescale_of(DcmDataset& ds, unsigned long frame) {
  RescaleFn r;
  const auto s = frame_numbers(ds, frame, DCM_PixelValueTransformationSequence, DCM_RescaleSlope);
  const auto i = frame_numbers(ds, frame, DCM_PixelValueTransformationSequence, DCM_RescaleIntercept);
  if (s.size() == 1 && s[0] != 0) r.slope = s[0];
  if (i.size() == 1) r.intercept = i[0];
  return r;
}

Uint16 us_value(DcmDataset& ds, const DcmTagKey& tag) {
  Uint16 v = 0;
  ds.findAndGetUint16(tag, v);
  return v;
}

}  // namespace

StoredValueConverter::StoredValueConverter(DcmDataset& instance, unsigned long frame) {
  const RescaleFn r = rescale_of(instance, frame);
  slope_ = r.slope;
  intercept_ = r.intercept;
  const Uint16 bits_stored = us_value(instance, DCM_BitsStored);
  const bool is_signed = us_value(instance, DCM_PixelRepresentation) == 1;
  const double bits = bits_stored == 0 ? 16 : bits_stored;
  lo_ = is_signed ? -std::pow(2.0, bits - 1) : 0;
  hi_ = is_signed ? std::pow(2.0, bits - 1) - 1 : std::pow(2.0, bits) - 1;
}

double StoredValueConverter::stored(double real) const {
  return std::clamp(std::round((real - intercept_) / slope_), lo_, hi_);
}

SeriesVolume build_series_volume(const std::vector<DcmDataset*>& instances) {
  struct Frame {
    std::size_t instance;
    unsigned long frame;
    FrameGeometry geometry;
  };
  std::vector<Frame> frames;
  int rows = -1, cols = -1;
  for (std::size_t n = 0; n < instances.size(); ++n) {
    DcmDataset& ds = *instances[n];
    if (us_value(ds, DCM_SamplesPerPixel) > 1) throw VolumeError("colour images are not volumes");
    const int r = us_value(ds, DCM_Rows), c = us_value(ds, DCM_Columns);
    if (rows == -1) rows = r, cols = c;
    if (r != rows || c != cols || r <= 0 || c <= 0) throw VolumeError("instances differ in Rows or Columns");
    Sint32 count = 1;
    ds.findAndGetSint32(DCM_NumberOfFrames, count);
    for (unsigned long f = 0; f < static_cast<unsigned long>(std::max<Sint32>(1, count)); ++f)
      frames.push_back({n, f, frame_geometry(ds, f)});
  }
  if (frames.size() < 2) throw VolumeError("a single slice is not a volume");
  const FrameGeometry& g0 = frames.front().geometry;
  for (const auto& f : frames) {
    const auto& g = f.geometry;
    if (norm(g.row_dir - g0.row_dir) > 1e-3 || norm(g.col_dir - g0.col_dir) > 1e-3)
      throw VolumeError("slices have different orientations");
    if (std::abs(g.row_spacing - g0.row_spacing) > 1e-3 || std::abs(g.col_spacing - g0.col_spacing) > 1e-3)
      throw VolumeError("slices have different pixel spacing");
  }
  const Vec3 normal = cross(g0.row_dir, g0.col_dir);
  std::sort(frames.begin(), frames.end(), [&](const Frame& a, const Frame& b) {
    return dot(a.geometry.position, normal) < dot(b.geometry.position, normal);
  });
  // The slice step: the mean of consecutive differences; every step must match it.
  Vec3 step = (1.0 / static_cast<double>(frames.size() - 1)) * (frames.back().geometry.position - frames.front().geometry.position);
  const double step_length = norm(step);
  if (step_length < 1e-3) throw VolumeError("slices share one position");
  for (std::size_t k = 1; k < frames.size(); ++k) {
    const Vec3 d = frames[k].geometry.position - frames[k - 1].geometry.position;
    if (norm(d - step) > 0.02 * step_length + 0.01) throw VolumeError("slices are unevenly spaced or not in one stack");
  }

  SeriesVolume out;
  out.volume = Volume(cols, rows, static_cast<int>(frames.size()));
  out.volume.affine.origin = frames.front().geometry.position;
  out.volume.affine.axis = {g0.col_spacing * g0.row_dir, g0.row_spacing * g0.col_dir, step};
  out.tilted = std::abs(dot(step, normal)) < step_length * std::cos(0.5 * 3.14159265358979 / 180.0);

  const std::size_t plane = static_cast<std::size_t>(rows) * cols;
  for (std::size_t k = 0; k < frames.size(); ++k) {
    DcmDataset& ds = *instances[frames[k].instance];
    out.slices.push_back({frames[k].instance, frames[k].frame});
    const Uint16 bits = us_value(ds, DCM_BitsAllocated);
    const bool is_signed = us_value(ds, DCM_PixelRepresentation) == 1;
    const RescaleFn r = rescale_of(ds, frames[k].frame);
    const std::size_t offset = plane * frames[k].frame;
    float* dst = &out.volume.data[k * plane];
    unsigned long count = 0;
    if (bits == 16) {
      const Uint16* px = nullptr;
      if (ds.findAndGetUint16Array(DCM_PixelData, px, &count).bad() || count < offset + plane)
        throw VolumeError("Pixel Data cannot be read as 16-bit values");
      for (std::size_t p = 0; p < plane; ++p) {
        const double raw = is_signed ? static_cast<double>(static_cast<Sint16>(px[offset + p])) : px[offset + p];
        dst[p] = static_cast<float>(raw * r.slope + r.intercept);
      }
    } else if (bits == 8) {
      const Uint8* px = nullptr;
      if (ds.findAndGetUint8Array(DCM_PixelData, px, &count).bad() || count < offset + plane)
        throw VolumeError("Pixel Data cannot be read as 8-bit values");
      for (std::size_t p = 0; p < plane; ++p)
        dst[p] = static_cast<float>((is_signed ? static_cast<Sint8>(px[offset + p]) : px[offset + p]) * r.slope + r.intercept);
    } else {
      throw VolumeError("Bits Allocated " + std::to_string(bits) + " is not supported for volumes");
    }
  }
  return out;
}

}  // namespace radveil::face
