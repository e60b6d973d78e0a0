#include "pipeline/face_stage.h"

#include <dcmtk/dcmdata/dctk.h>

#include <algorithm>

#include "core/quarantine_error.h"
#include "dicom/sniff.h"
#include "dicom/structure_guard.h"
#include "dicom/values.h"

namespace radveil::pipeline {

std::optional<std::string> face_series_of(const std::filesystem::path& input) {
  const auto kind = dicom::sniff(input);
  if (kind != dicom::Sniffed::Part10 && kind != dicom::Sniffed::BareDataset) return std::nullopt;
  try {
    dicom::check_nesting_depth(input);
  } catch (const QuarantineError&) {
    return std::nullopt;  // the per-file pipeline reports it
  }
  DcmFileFormat header;
  if (header.loadFileUntilTag(OFFilename(input.c_str()), EXS_Unknown, EGL_noChange, 4096, ERM_autoDetect,
                              DCM_PixelData)
          .bad())
    return std::nullopt;
  DcmDataset& ds = *header.getDataset();
  const std::string modality = dicom::get_string(ds, DCM_Modality);
  const std::string series = dicom::get_string(ds, DCM_SeriesInstanceUID);
  if ((modality != "CT" && modality != "MR") || series.empty()) return std::nullopt;
  return series;
}

void SeriesGroups::add(const std::string& series, const std::filesystem::path& file) {
  std::lock_guard lock(mutex_);
  groups_[series].push_back(file);
}

std::vector<std::vector<std::filesystem::path>> SeriesGroups::take() {
  std::lock_guard lock(mutex_);
  std::vector<std::vector<std::filesystem::path>> out;
  for (auto& [series, files] : groups_) {
    std::sort(files.begin(), files.end());
    out.push_back(std::move(files));
  }
  groups_.clear();
  return out;
}

}  // namespace radveil::pipeline
