#pragma once
// The files of an input, streamed: one file, or every entry below a folder that is a file or a
// link that does not lead to a folder we walk. Symbolic links to folders are not followed (no
// loops); they, and links that resolve to nothing, are handed on so that they are reported.
// Walked by every command that reads a folder (deid, export, scan, deface-check, trace).
#include <cstddef>
#include <filesystem>
#include <functional>

namespace radveil {

// Calls `visit` for each input file; returns the number of folders that could not be read.
std::size_t for_each_input_file(const std::filesystem::path& input,
                                const std::function<void(const std::filesystem::path&)>& visit);

// The name it had while it lived in pipeline/, still used by scan/source_index.cpp and
// tests/unit/pixel_scan_test.cpp (both being changed on other branches): delete this line once
// they call it radveil::for_each_input_file. It names the namespace only; nothing here includes
// pipeline/.

}  // namespace radveil
