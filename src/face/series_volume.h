#pragma once
// Builds the volume of one series from its instances: single-frame slices in any order, or
// enhanced multi-frame objects, in any orientation. Refuses what does not form one regular
// volume (mixed orientation or spacing, missing geometry, uneven slice steps) with a reason.
#include <dcmtk/dcmdata/dctk.h>

#include <string>
#include <vector>

#include "face/volume.h"

namespace radveil::face {

// Where a slice of the volume came from, so modified pixels can be written back.
struct SliceSource {
  std::size_t instance;  // index into the instances given
  unsigned long frame;   // frame within that instance
};

struct SeriesVolume {
  Volume volume;                    // stored values mapped to real units (CT: HU), grid as acquired
  std::vector<SliceSource> slices;  // one per k
  bool tilted = false;              // slice steps are not along the slice normal (sheared)
};

class VolumeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `instances` must have their pixel data loadable (uncompressed, or decodable by DCMTK codecs).
SeriesVolume build_series_volume(const std::vector<DcmDataset*>& instances);

// The stored (raw) value that represents a real value in one frame of an instance: the inverse
// of Rescale Slope and Intercept, clamped to the stored range. Built once per frame.
class StoredValueConverter {
 public:
  StoredValueConverter(DcmDataset& instance, unsigned long frame);
  double stored(double real) const;

 private:
  double slope_ = 1, intercept_ = 0, lo_ = 0, hi_ = 65535;
};

}  // namespace radveil::face
