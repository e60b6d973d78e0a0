#include "profile/deid_options.h"

namespace radveil::profile {

std::string option_names_help() {
  std::string s;
  for (const auto& info : all_options()) s += (s.empty() ? "" : ", ") + std::string(info.cli_name);
  return s + ", " + kCleanPixelData + ", " + kCleanRecognizableVisualFeatures;
}

DeidOptions parse_options(const std::vector<std::string>& names) {
  DeidOptions options;
  for (const auto& name : names) {
    if (name == kCleanPixelData) {
      options.clean_pixel_data = true;
      continue;
    }
    if (name == kCleanRecognizableVisualFeatures) {
      options.clean_recognizable_visual_features = true;
      continue;
    }
    auto option = option_from_name(name);
    if (!option) throw OptionError("unknown option '" + name + "'; known options: " + option_names_help());
    options.header.add(*option);
  }
  if (auto conflict = options.header.conflict()) throw OptionError(*conflict);
  return options;
}

}  // namespace radveil::profile
