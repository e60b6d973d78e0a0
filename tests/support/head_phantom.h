#pragma once
// A synthetic CT head, defined in patient coordinates (LPS, mm, HU), written as DICOM series in
// any orientation: skin and soft tissue, a skull, a brain, a nose, two orbits and a chin.
#include <dcmtk/dcmdata/dctk.h>

#include <array>
#include <memory>
#include <vector>

namespace radveil::test {

struct PhantomPoint {
  double x, y, z;
};

// HU at a patient point: air -1000, soft tissue 40, bone 1000, brain 30.
double phantom_hu(const PhantomPoint& p, bool with_face = true);
bool phantom_in_brain(const PhantomPoint& p);

struct SeriesSpec {
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};  // IOP: axial by default
  double spacing = 2.5;                                  // mm, in-plane and between slices
  int size = 112;                                        // rows = columns = slices (280 mm)
  std::array<double, 3> tilt_step{0, 0, 0};              // added to each slice's position (shear)
  bool shuffle = false;
  bool multi_frame = false;
  bool with_face = true;
  const char* body_part = "HEAD";
};

// One dataset per slice (or one multi-frame dataset), CT, 16-bit signed, rescale intercept 0.
std::vector<std::unique_ptr<DcmDataset>> write_phantom_series(const SeriesSpec& spec);
std::vector<DcmDataset*> pointers(const std::vector<std::unique_ptr<DcmDataset>>& series);

}  // namespace radveil::test
