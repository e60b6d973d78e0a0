#pragma once
// A non-recursive pass over a file's element structure, run before DCMTK parses it: DCMTK's
// parser recurses once per nested sequence, so a hostile file nested a hundred thousand levels
// deep would overflow the stack. This pass only counts depth; it never reads values.
#include <filesystem>

namespace radveil::dicom {

inline constexpr int kMaxNestingDepth = 64;  // items and sequences together; real data stays under 20

// Throws QuarantineError("sequence-too-deep", ...) when nesting exceeds `max_depth`. Any other
// oddity (truncation, bad lengths) is left to the real parser, which reports it.
class InputFile;

void check_nesting_depth(const std::filesystem::path& file, int max_depth = kMaxNestingDepth);
void check_nesting_depth(InputFile& file, int max_depth = kMaxNestingDepth);  // from a file already open

}  // namespace radveil::dicom
