#pragma once
// Turning `--option NAME` values into an OptionSet, with helpful errors.
#include <string>
#include <vector>

#include "profile/options.h"

namespace radveil::cli {

// Options beyond the header profile, by their command-line names.
inline constexpr const char* kCleanRecognizableVisualFeatures = "clean-recognizable-visual-features";
inline constexpr const char* kCleanPixelData = "clean-pixel-data";

struct DeidOptions {
  profile::OptionSet header;
  bool clean_recognizable_visual_features = false;
  bool clean_pixel_data = false;
};

DeidOptions parse_options(const std::vector<std::string>& names);
std::string option_names_help();

}  // namespace radveil::cli
