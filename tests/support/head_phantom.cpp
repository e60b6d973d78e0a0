#include "support/head_phantom.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace radveil::test {
namespace {

double ellipsoid(const PhantomPoint& p, double cx, double cy, double cz, double rx, double ry, double rz) {
  const double dx = (p.x - cx) / rx, dy = (p.y - cy) / ry, dz = (p.z - cz) / rz;
  return dx * dx + dy * dy + dz * dz;  // < 1 inside
}

std::string ds_list(std::initializer_list<double> values) {
  std::string s;
  for (double v : values) {
    if (!s.empty()) s += "\\";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    s += buf;
  }
  return s;
}

}  // namespace

// The brain sits above and far behind the orbits, as in a real head.
bool phantom_in_brain(const PhantomPoint& p) { return ellipsoid(p, 0, 15, 35, 58, 66, 58) < 1; }

double phantom_hu(const PhantomPoint& p, bool with_face) {
  if (phantom_in_brain(p)) return 30;
  if (ellipsoid(p, 0, 12, 30, 66, 76, 68) < 1) return 1000;  // skull around the brain
  const bool head = ellipsoid(p, 0, 0, 0, 76, 96, 110) < 1;
  if (with_face) {
    // Eyeballs, dark as on T1 MR, behind 5 mm of eyelid.
    const bool orbit = ellipsoid(p, 32, -78, 28, 13, 13, 12) < 1 || ellipsoid(p, -32, -78, 28, 13, 13, 12) < 1;
    if (orbit && p.y > -86) return -1000;
    if (orbit) return 40;
    if (ellipsoid(p, 0, -100, -8, 11, 26, 20) < 1) return 40;                                                  // nose
    if (ellipsoid(p, 0, -84, -72, 22, 16, 16) < 1) return 40;                                                  // chin
    if (ellipsoid(p, 0, -86, 48, 50, 10, 8) < 1) return 40;                                                    // brow ridge
  }
  return head ? 40 : -1000;
}

std::vector<std::unique_ptr<DcmDataset>> write_phantom_series(const SeriesSpec& spec) {
  const std::array<double, 3> row{spec.orientation[0], spec.orientation[1], spec.orientation[2]};
  const std::array<double, 3> col{spec.orientation[3], spec.orientation[4], spec.orientation[5]};
  const std::array<double, 3> normal{row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2],
                                     row[0] * col[1] - row[1] * col[0]};
  const int n = spec.size;
  const double half = (n - 1) * spec.spacing / 2;
  std::vector<std::array<double, 3>> positions;
  for (int k = 0; k < n; ++k) {
    std::array<double, 3> ipp;
    for (int a = 0; a < 3; ++a)
      ipp[a] = -half * row[a] - half * col[a] + (k * spec.spacing - half) * normal[a] + k * spec.tilt_step[a];
    positions.push_back(ipp);
  }
  auto frame_pixels = [&](const std::array<double, 3>& ipp) {
    std::vector<Uint16> px(static_cast<std::size_t>(n) * n);
    for (int r = 0; r < n; ++r)
      for (int c = 0; c < n; ++c) {
        PhantomPoint p{ipp[0] + c * spec.spacing * row[0] + r * spec.spacing * col[0],
                       ipp[1] + c * spec.spacing * row[1] + r * spec.spacing * col[1],
                       ipp[2] + c * spec.spacing * row[2] + r * spec.spacing * col[2]};
        px[static_cast<std::size_t>(r) * n + c] = static_cast<Uint16>(static_cast<Sint16>(phantom_hu(p, spec.with_face)));
      }
    return px;
  };
  auto common = [&](DcmDataset& ds) {
    ds.putAndInsertString(DCM_SOPClassUID, spec.multi_frame ? UID_EnhancedCTImageStorage : UID_CTImageStorage);
    ds.putAndInsertString(DCM_Modality, "CT");
    ds.putAndInsertString(DCM_BodyPartExamined, spec.body_part);
    ds.putAndInsertString(DCM_PatientID, "PHANTOM1");
    ds.putAndInsertString(DCM_StudyInstanceUID, "2.25.1001");
    ds.putAndInsertString(DCM_SeriesInstanceUID, "2.25.1002");
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(n));
    ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(n));
    ds.putAndInsertUint16(DCM_BitsAllocated, 16);
    ds.putAndInsertUint16(DCM_BitsStored, 16);
    ds.putAndInsertUint16(DCM_HighBit, 15);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 1);
    ds.putAndInsertString(DCM_RescaleIntercept, "0");
    ds.putAndInsertString(DCM_RescaleSlope, "1");
  };
  std::vector<std::unique_ptr<DcmDataset>> out;
  const std::string iop = ds_list({row[0], row[1], row[2], col[0], col[1], col[2]});
  const std::string ps = ds_list({spec.spacing, spec.spacing});
  if (spec.multi_frame) {
    auto ds = std::make_unique<DcmDataset>();
    common(*ds);
    ds->putAndInsertString(DCM_SOPInstanceUID, "2.25.2000");
    ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(n).c_str());
    DcmItem* shared = nullptr;
    ds->findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
    DcmItem* orient = nullptr;
    shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, orient, 0);
    orient->putAndInsertString(DCM_ImageOrientationPatient, iop.c_str());
    DcmItem* measures = nullptr;
    shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, measures, 0);
    measures->putAndInsertString(DCM_PixelSpacing, ps.c_str());
    std::vector<Uint16> all;
    for (int k = 0; k < n; ++k) {
      DcmItem* frame = nullptr;
      ds->findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, -2);
      DcmItem* pos = nullptr;
      frame->findOrCreateSequenceItem(DCM_PlanePositionSequence, pos, 0);
      pos->putAndInsertString(DCM_ImagePositionPatient, ds_list({positions[k][0], positions[k][1], positions[k][2]}).c_str());
      const auto px = frame_pixels(positions[k]);
      all.insert(all.end(), px.begin(), px.end());
    }
    ds->putAndInsertUint16Array(DCM_PixelData, all.data(), static_cast<unsigned long>(all.size()));
    out.push_back(std::move(ds));
    return out;
  }
  for (int k = 0; k < n; ++k) {
    auto ds = std::make_unique<DcmDataset>();
    common(*ds);
    ds->putAndInsertString(DCM_SOPInstanceUID, ("2.25.3" + std::to_string(1000 + k)).c_str());
    ds->putAndInsertString(DCM_ImageOrientationPatient, iop.c_str());
    ds->putAndInsertString(DCM_PixelSpacing, ps.c_str());
    ds->putAndInsertString(DCM_ImagePositionPatient, ds_list({positions[k][0], positions[k][1], positions[k][2]}).c_str());
    const auto px = frame_pixels(positions[k]);
    ds->putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
    out.push_back(std::move(ds));
  }
  if (spec.shuffle) std::shuffle(out.begin(), out.end(), std::mt19937(4));
  return out;
}

std::vector<DcmDataset*> pointers(const std::vector<std::unique_ptr<DcmDataset>>& series) {
  std::vector<DcmDataset*> out;
  for (const auto& d : series) out.push_back(d.get());
  return out;
}

}  // namespace radveil::test
