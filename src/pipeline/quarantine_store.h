#pragma once
// Where refused inputs go: a copy of the original under <dir>/<reason>/<id>.dcm, and one JSON line
// per file in <dir>/manifest.jsonl. The id is a keyed hash of the input path, so the copy's name
// carries nothing of the patient; the manifest (inside the hospital, like the originals it sits
// beside) maps ids back to source paths for whoever has to look at them.
#include <filesystem>
#include <mutex>
#include <string>

#include "pseudonym/pseudonymizer.h"

namespace radveil::pipeline {

class QuarantineStore {
 public:
  QuarantineStore(std::filesystem::path dir, const pseudonym::Pseudonymizer& pseudonymizer);
  // Removes temporary copies left by an interrupted run.
  void clear_staging();
  // Returns the id under which the file was recorded. Copy failures are recorded, not thrown.
  std::string put(const std::filesystem::path& source, const std::string& reason, const std::string& detail);
  // Keeps the last line per id in the manifest (a resumed run may have recorded a file again).
  void finalize();
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  const pseudonym::Pseudonymizer& pseudonymizer_;
  std::mutex mutex_;
};

}  // namespace radveil::pipeline
