#pragma once
// A write that failed because its file system is full. It is never a reason to quarantine an
// instance (the instance is fine; the disk is not): what was being done is stopped and done again
// later, when there is room. Everything that writes for the pipeline or the node turns a failure
// for lack of space into this type.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace radveil {

class OutOfSpace : public std::runtime_error {
 public:
  explicit OutOfSpace(const std::string& what) : std::runtime_error("no space left: " + what) {}
};

// True when `error` (an errno value) says the disk or quota is full, or, for writers that do not
// keep errno (DCMTK's), when the file system holding `folder` has less than 1 MiB available.
bool is_out_of_space(int error, const std::filesystem::path& folder = {});

}  // namespace radveil
