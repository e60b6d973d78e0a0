#include "cli/deid_options.h"

#include "cli/commands.h"

namespace radveil::cli {

std::string option_names_help() {
  std::string s;
  for (const auto& info : profile::all_options()) s += (s.empty() ? "" : ", ") + std::string(info.cli_name);
  return s;
}

profile::OptionSet parse_options(const std::vector<std::string>& names) {
  profile::OptionSet set;
  for (const auto& name : names) {
    auto option = profile::option_from_name(name);
    if (!option) throw CommandFailure{2, "unknown option '" + name + "'; known options: " + option_names_help()};
    set.add(*option);
  }
  if (auto conflict = set.conflict()) throw CommandFailure{2, *conflict};
  return set;
}

}  // namespace radveil::cli
