#pragma once
// The series stage of Clean Recognizable Visual Features: CT and MR instances are grouped by
// series while the input is walked, then each series is defaced (or found to show no face, or
// refused) as a whole before its instances go through the per-instance pipeline.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dicom/instance_file.h"

namespace radveil::pipeline {

// The Series Instance UID of a CT or MR image file, read from its header only (after the same
// content and nesting checks as every input); nullopt for anything else.
std::optional<std::string> face_series_of(const std::filesystem::path& input);

// The instances of one series read completely, for a volume; files that cannot be read are left
// out (`unreadable` counts them).
struct LoadedSeries {
  std::vector<dicom::LoadedInstance> instances;
  std::vector<DcmDataset*> datasets;  // one per instance, owned by `instances`
  std::size_t unreadable = 0;
};
LoadedSeries load_series(const std::vector<std::filesystem::path>& files);

class SeriesGroups {
 public:
  void add(const std::string& series, const std::filesystem::path& file);
  // Hands out the groups in a stable order and forgets them.
  std::vector<std::vector<std::filesystem::path>> take();

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<std::filesystem::path>> groups_;
};

}  // namespace radveil::pipeline
