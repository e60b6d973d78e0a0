#pragma once
// The node's intake spool: what senders stored, kept durably until every route has dealt with
// it. A received file is written into incoming/, flushed to disk, then renamed into
// studies/<study>/<instance>.dcm and the folder flushed: only then is the sender told it was
// stored, so an acknowledged instance survives a crash. Folder and file names are keyed digests
// of the Study and SOP Instance UIDs (no UID in a path). A study folder's modification time is
// its last arrival.
//
// A study every route has finished is retired: its files are deleted and an empty marker of each
// instance stays in retired/<study>/, so the same instance sent again is acknowledged and not
// processed a second time (exactly once, also after the spool was emptied).
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pseudonym/pseudonymizer.h"

namespace radveil::net {

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
  // Intake stops (has_room() is false) while the spool's file system has less than
  // `min_free_bytes` available.
  Spool(std::filesystem::path root, const pseudonym::SecretKey& key, std::uint64_t min_free_bytes = 0);

  std::filesystem::path incoming_file();  // a fresh name in incoming/ for one reception
  // Keeps a received file durably in its study's folder; returns the study folder's name. An
  // instance the spool holds already, or held and retired (same SOP Instance UID), is
  // acknowledged and not kept again. SpoolError (the file removed) when it has no Study or SOP
  // Instance UID or cannot be read; std::runtime_error when it cannot be kept (a full disk).
  std::string admit(const std::filesystem::path& received);
  void clear_incoming();  // leftovers of receptions a crash interrupted (never acknowledged)

  bool has_room() const;               // free space at least min_free_bytes
  std::uint64_t free_bytes() const;    // available to this process on the spool's file system

  std::vector<SpooledStudy> studies() const;
  std::filesystem::path study_folder(const std::string& name) const { return root_ / "studies" / name; }
  // The study folder's last arrival (its modification time); nullopt when it is not there.
  std::optional<std::filesystem::file_time_type> last_arrival(const std::string& name) const;
  // Retires a study whose last arrival is still `seen` (nothing came since the routes read it):
  // its instances leave markers and are deleted. False, and nothing changed, when it is not so.
  bool retire(const std::string& name, std::filesystem::file_time_type seen);

 private:
  std::filesystem::path root_;
  pseudonym::Pseudonymizer names_;
  std::uint64_t min_free_bytes_;
  std::mutex placing_;  // admit's check-and-rename against retire
};

}  // namespace radveil::net
