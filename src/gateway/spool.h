#pragma once
// The node's intake spool: what senders stored, kept durably until every route has dealt with
// it. A received file is written into incoming/, flushed to disk, then renamed into
// studies/<study>/<instance>.dcm and the folder flushed: only then is the sender told it was
// stored, so an acknowledged instance survives a crash. Folder and file names are keyed digests
// of the Study and SOP Instance UIDs (no UID in a path). A study folder's modification time is
// its last arrival.
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "pseudonym/pseudonymizer.h"

namespace radveil::gateway {

class SpoolError : public std::runtime_error {  // the received file is not an instance the node can keep
 public:
  using std::runtime_error::runtime_error;
};

struct SpooledStudy {
  std::string name;                  // the study folder's name
  std::filesystem::file_time_type last_arrival;
  std::size_t instances = 0;
};

class Spool {
 public:
  Spool(std::filesystem::path root, const pseudonym::SecretKey& key);

  std::filesystem::path incoming_file();  // a fresh name in incoming/ for one reception
  // Keeps a received file durably in its study's folder; returns the study folder's name. An
  // instance the spool holds already (same SOP Instance UID) is acknowledged and not kept again.
  // SpoolError (the file removed) when it has no Study or SOP Instance UID or cannot be read.
  std::string admit(const std::filesystem::path& received);
  void clear_incoming();  // leftovers of receptions a crash interrupted (never acknowledged)

  std::vector<SpooledStudy> studies() const;
  std::filesystem::path study_folder(const std::string& name) const { return root_ / "studies" / name; }

 private:
  std::filesystem::path root_;
  pseudonym::Pseudonymizer names_;
};

// fsync a file or a folder: what rename() and writes promised is on disk.
void sync_path(const std::filesystem::path& path);

}  // namespace radveil::gateway
