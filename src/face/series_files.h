#pragma once
// The files of one CT or MR series read completely, for its volume (series_volume.h): by the
// face stage of deid and export, by `scan` and by `deface-check`.
#include <filesystem>
#include <vector>

#include "dicom/instance_file.h"

namespace radveil::face {

// The instances of one series read completely, for a volume; files that cannot be read are left
// out (`unreadable` counts them).
struct LoadedSeries {
  std::vector<dicom::LoadedInstance> instances;
  std::vector<DcmDataset*> datasets;  // one per instance, owned by `instances`
  std::size_t unreadable = 0;
};
LoadedSeries load_series(const std::vector<std::filesystem::path>& files);

}  // namespace radveil::face
