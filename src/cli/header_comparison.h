#pragma once
// A side-by-side view of selected header attributes of one file before and after
// de-identification, for the demo (synthetic identities only).
#include <filesystem>
#include <string>

namespace radveil::cli {

std::string compare_headers(const std::filesystem::path& before, const std::filesystem::path& after);

}  // namespace radveil::cli
