#include "core/input_walker.h"

namespace radveil {

std::size_t for_each_input_file(const std::filesystem::path& input,
                                const std::function<void(const std::filesystem::path&)>& visit) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(input, ec)) {
    visit(input);
    return 0;
  }
  std::size_t errors = 0;
  fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec);
  if (ec) return 1;
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      ++errors;
      ec.clear();
      continue;
    }
    std::error_code type_ec;
    const bool is_link = it->is_symlink(type_ec);
    if (it->is_directory(type_ec) && !is_link) continue;
    visit(it->path());
  }
  return errors;
}

}  // namespace radveil
