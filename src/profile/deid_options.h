#pragma once
// Turning option names (`--option NAME`, a route's `options = [...]`) into the header profile's
// OptionSet and the pixel and face stages' switches, with helpful errors.
#include <stdexcept>
#include <string>
#include <vector>

#include "profile/options.h"

namespace radveil::profile {

// Options beyond the header profile, by their names.
inline constexpr const char* kCleanRecognizableVisualFeatures = "clean-recognizable-visual-features";
inline constexpr const char* kCleanPixelData = "clean-pixel-data";

class OptionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DeidOptions {
  OptionSet header;
  bool clean_recognizable_visual_features = false;
  bool clean_pixel_data = false;
};

DeidOptions parse_options(const std::vector<std::string>& names);  // OptionError: unknown or conflicting
std::string option_names_help();

}  // namespace radveil::profile
