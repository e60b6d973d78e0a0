#pragma once
// The arguments `radveil deid` and `radveil export` share, as parsed (see deid_flags.h for what
// they become).
#include <string>
#include <vector>

namespace radveil::cli {

struct DeidArgs {
  std::string input, output, key, quarantine, report, face_report, review;
  std::string pixel_scan = "all", pixel_text = "all", face_mode = "face";
  std::vector<std::string> options;
  int jobs = 0;
  bool fail_on_quarantine = false;
};

}  // namespace radveil::cli
