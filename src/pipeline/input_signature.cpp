#include "pipeline/input_signature.h"

#include <unistd.h>

#include <cerrno>

namespace radveil::pipeline {

StatResult stat_input(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || ::access(file.c_str(), R_OK) != 0) {
    const int err = errno;
    return {std::nullopt, err == ENOENT ? StatFailure::Vanished : err == ELOOP ? StatFailure::UnresolvableLink
                                                                                : StatFailure::Unreadable};
  }
  if (!S_ISREG(st.st_mode)) return {std::nullopt, StatFailure::NotARegularFile};
  InputSignature s;
  s.device = st.st_dev;
  s.inode = st.st_ino;
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  s.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return {s, StatFailure::Unreadable};
}

std::string_view stat_failure_reason(StatFailure failure) {
  switch (failure) {
    case StatFailure::Vanished: return "input-vanished";
    case StatFailure::UnresolvableLink: return "unresolvable-link";
    case StatFailure::Unreadable: return "unreadable";
    case StatFailure::NotARegularFile: return "not-a-regular-file";
  }
  return "unreadable";
}

}  // namespace radveil::pipeline
