#pragma once
// What identifies the state of an input file: if any of it changes, the file changed.
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace radveil::pipeline {

struct InputSignature {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  bool operator==(const InputSignature&) const = default;
};

enum class StatFailure { Vanished, UnresolvableLink, Unreadable, NotARegularFile };

struct StatResult {
  std::optional<InputSignature> signature;
  StatFailure failure = StatFailure::Unreadable;
};

StatResult stat_input(const std::filesystem::path& file);
std::string_view stat_failure_reason(StatFailure failure);

}  // namespace radveil::pipeline
