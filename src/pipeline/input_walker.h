#pragma once
// The files of an input: one file, or every regular file below a folder, in a stable order.
// Symbolic links to folders are not followed (no loops); unreadable folders are counted.
#include <filesystem>
#include <vector>

namespace radveil::pipeline {

struct InputListing {
  std::vector<std::filesystem::path> files;
  std::size_t errors = 0;  // folders that could not be read
};

InputListing list_input_files(const std::filesystem::path& input);

}  // namespace radveil::pipeline
