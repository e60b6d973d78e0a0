#include "pipeline/input_walker.h"

#include <algorithm>

namespace radveil::pipeline {

InputListing list_input_files(const std::filesystem::path& input) {
  namespace fs = std::filesystem;
  InputListing listing;
  std::error_code ec;
  if (fs::is_regular_file(input, ec)) {
    listing.files.push_back(input);
    return listing;
  }
  fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    ++listing.errors;
    return listing;
  }
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      ++listing.errors;
      ec.clear();
      continue;
    }
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) listing.files.push_back(it->path());
  }
  std::sort(listing.files.begin(), listing.files.end());
  return listing;
}

}  // namespace radveil::pipeline
