#pragma once
// Turning `--option NAME` values into an OptionSet, with helpful errors.
#include <string>
#include <vector>

#include "profile/options.h"

namespace radveil::cli {

profile::OptionSet parse_options(const std::vector<std::string>& names);
std::string option_names_help();

}  // namespace radveil::cli
