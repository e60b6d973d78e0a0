#pragma once
// fsync of a file or a folder: what rename() and writes promised is on disk.
#include <filesystem>

namespace radveil {

// std::runtime_error (with the system's words, never the path) when it cannot be done.
void sync_path(const std::filesystem::path& path);

}  // namespace radveil
