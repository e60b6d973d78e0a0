#include "face/series_files.h"

namespace radveil::face {

LoadedSeries load_series(const std::vector<std::filesystem::path>& files) {
  LoadedSeries out;
  for (const auto& f : files) {
    try {
      out.instances.push_back(dicom::load_complete(f));
      out.datasets.push_back(out.instances.back().dataset.get());
    } catch (const std::exception&) {
      ++out.unreadable;
    }
  }
  return out;
}

}  // namespace radveil::face
