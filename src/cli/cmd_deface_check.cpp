#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli/commands.h"
#include "core/input_walker.h"
#include "core/json_file.h"
#include "dicom/instance_file.h"
#include "face/series_defacer.h"
#include "face/series_files.h"
#include "pipeline/face_stage.h"

namespace radveil::cli {
namespace {

namespace fs = std::filesystem;

// Verification only, on any CT/MR series (radveil's output or another defacer's): renders from
// the standard views, both detectors, and the nose profile. Exit 3 if any series shows a face.
int run_check(const fs::path& input, const fs::path& out) {
  // The same grouping as deid's face stage: CT/MR image files by series, headers only.
  pipeline::SeriesGroups groups;
  for_each_input_file(input, [&](const fs::path& file) {
    if (auto series = pipeline::face_series_of(file)) groups.add(*series, file);
  });
  const auto series = groups.take();
  face::FaceDetectors detectors;
  nlohmann::json summary = nlohmann::json::array();
  int index = 0, with_face = 0;
  for (const auto& files : series) {
    const face::LoadedSeries loaded = face::load_series(files);
    char name[32];
    std::snprintf(name, sizeof name, "series-%03d", ++index);
    const face::SeriesFaceReport report = face::check_series(loaded.datasets, detectors);
    const bool face = report.outcome == face::SeriesFaceOutcome::Refused;
    with_face += face;
    const fs::path dir = out / name;
    fs::create_directories(dir);
    if (report.before) {
      for (std::size_t i = 0; i < report.before->views.size(); ++i) {
        char png[32];
        std::snprintf(png, sizeof png, "view-%02zu.png", i);
        cv::imwrite((dir / png).string(), report.before->views[i].image);
      }
    }
    nlohmann::json j = report.to_json();
    j["face_found"] = face;
    j["instances"] = files.size();
    write_json_file(dir / "check.json", j);
    summary.push_back({{"series", name}, {"instances", files.size()}, {"face_found", face}, {"reason", report.reason}});
    std::printf("%s: %zu instances, %s (%s)\n", name, files.size(), face ? "FACE FOUND" : "no face",
                report.detail.c_str());
  }
  write_json_file(out / "summary.json", summary);
  std::printf("%zu series checked, %d with a face; renders and JSON in %s\n", series.size(), with_face, out.c_str());
  return with_face > 0 ? 3 : 0;
}

}  // namespace

void deface_check(const std::string& input, const std::string& out) {
  const int code = run_check(input, out);
  if (code != 0) throw CommandFailure{code, "a face is still recognisable in at least one series"};
}

}  // namespace radveil::cli
