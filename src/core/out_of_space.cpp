#include "core/out_of_space.h"

#include <sys/statvfs.h>

#include <cerrno>

namespace radveil {

bool is_out_of_space(int error, const std::filesystem::path& folder) {
  if (error == ENOSPC || error == EDQUOT) return true;
  if (folder.empty()) return false;
  struct statvfs s {};
  if (::statvfs(folder.c_str(), &s) != 0) return false;
  constexpr unsigned long long kNearlyFull = 1ull << 20;
  return static_cast<unsigned long long>(s.f_bavail) * s.f_frsize < kNearlyFull;
}

}  // namespace radveil
