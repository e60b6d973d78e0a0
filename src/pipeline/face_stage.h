#pragma once
// The series stage of Clean Recognizable Visual Features: CT and MR instances are grouped by
// series while the input is walked, then each series is defaced (or found to show no face, or
// refused) as a whole before its instances go through the per-instance pipeline. Reading a
// series' files for its volume is face/series_files.h.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace radveil::pipeline {

// The Series Instance UID of a CT or MR image file, read from its header only (after the same
// content and nesting checks as every input); nullopt for anything else.
std::optional<std::string> face_series_of(const std::filesystem::path& input);

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
