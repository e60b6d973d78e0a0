#include "net/spool.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "core/sync_path.h"
#include "dicom/instance_file.h"
#include "dicom/values.h"

namespace radveil::net {
namespace {

std::atomic<std::uint64_t> g_reception{0};

void create_marker(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno != EEXIST) throw std::runtime_error(std::string("cannot mark a retired instance: ") + std::strerror(errno));
}

// PS3.5 9.1: at most 64 characters, digits in components separated by dots.
bool valid_uid(const std::string& uid) {
  if (uid.size() > 64 || uid.front() == '.' || uid.back() == '.') return false;
  for (std::size_t i = 0; i < uid.size(); ++i) {
    const char c = uid[i];
    if (c == '.' ? uid[i + 1] == '.' : (c < '0' || c > '9')) return false;
  }
  return true;
}

}  // namespace

Spool::Spool(std::filesystem::path root, const pseudonym::SecretKey& key, std::uint64_t min_free_bytes)
    : root_(std::move(root)), names_(key), min_free_bytes_(min_free_bytes) {
  std::filesystem::create_directories(root_ / "incoming");
  std::filesystem::create_directories(root_ / "studies");
  std::filesystem::create_directories(root_ / "retired");
}

std::filesystem::path Spool::incoming_file() {
  return root_ / "incoming" / (std::to_string(::getpid()) + "-" + std::to_string(++g_reception) + ".part");
}

std::uint64_t Spool::free_bytes() const {
  struct statvfs s {};
  if (::statvfs(root_.c_str(), &s) != 0) return 0;  // cannot tell: treated as full
  return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
}

bool Spool::has_room() const { return free_bytes() >= min_free_bytes_; }

std::string Spool::admit(const std::filesystem::path& received) {
  std::string study, instance;
  try {
    const dicom::LoadedInstance loaded = dicom::load_lazy(received);
    study = dicom::get_string(*loaded.dataset, DCM_StudyInstanceUID);
    instance = dicom::get_string(*loaded.dataset, DCM_SOPInstanceUID);
  } catch (const std::exception&) {
    std::error_code ec;
    std::filesystem::remove(received, ec);
    throw SpoolError("the received data set cannot be read");
  }
  if (study.empty() || instance.empty()) {
    std::error_code ec;
    std::filesystem::remove(received, ec);
    throw SpoolError("the received data set has no Study or SOP Instance UID");
  }
  if (!valid_uid(study) || !valid_uid(instance)) {
    std::error_code ec;
    std::filesystem::remove(received, ec);
    throw SpoolError("the received data set's Study or SOP Instance UID is not a UID (PS3.5 9.1)");
  }
  const std::string name = names_.token("spool study", study, 26);
  const std::string file = names_.token("spool instance", instance, 26) + ".dcm";
  const std::filesystem::path folder = study_folder(name);
  try {
    sync_path(received);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(received, ec);
    throw;
  }
  bool new_folder = false;
  {
    std::lock_guard lock(placing_);
    std::error_code ec;
    if (std::filesystem::exists(root_ / "retired" / name / file, ec)) {  // delivered before: once is enough
      std::filesystem::remove(received, ec);
      return name;
    }
    new_folder = std::filesystem::create_directories(folder, ec);
    if (ec) {
      std::filesystem::remove(received, ec);
      throw std::runtime_error("cannot make a study folder in the spool: " + ec.message());
    }
    // Never over an instance already kept: the same SOP Instance again (a sender retrying after a
    // lost acknowledgement, two associations sending it at once, a study sent twice) leaves the
    // first copy standing, as Orthanc does by default. Replacing it would make the routes process,
    // deliver and record it a second time.
    if (::renameat2(AT_FDCWD, received.c_str(), AT_FDCWD, (folder / file).c_str(), RENAME_NOREPLACE) != 0) {
      const int error = errno;
      std::filesystem::remove(received, ec);
      if (error == EEXIST) return name;
      throw std::runtime_error(std::string("cannot keep a received instance: ") + std::strerror(error));
    }
  }
  sync_path(folder);
  if (new_folder) sync_path(folder.parent_path());
  return name;
}

void Spool::clear_incoming() {
  for (const auto& e : std::filesystem::directory_iterator(root_ / "incoming")) {
    std::error_code ec;
    std::filesystem::remove(e.path(), ec);
  }
}

std::vector<SpooledStudy> Spool::studies() const {
  std::vector<SpooledStudy> out;
  for (const auto& e : std::filesystem::directory_iterator(root_ / "studies")) {
    std::error_code ec;
    if (!e.is_directory(ec)) continue;
    const auto arrival = e.last_write_time(ec);
    if (ec) continue;  // retired since the listing began
    SpooledStudy s{e.path().filename().string(), arrival, 0};
    for (const auto& f : std::filesystem::directory_iterator(e.path(), ec)) s.instances += f.is_regular_file(ec);
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<std::filesystem::file_time_type> Spool::last_arrival(const std::string& name) const {
  std::error_code ec;
  const auto t = std::filesystem::last_write_time(study_folder(name), ec);
  if (ec) return std::nullopt;
  return t;
}

bool Spool::retire(const std::string& name, std::filesystem::file_time_type seen) {
  std::lock_guard lock(placing_);
  const auto now = last_arrival(name);
  if (!now || *now != seen) return false;
  const std::filesystem::path markers = root_ / "retired" / name;
  std::filesystem::create_directories(markers);
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(study_folder(name)))
    if (f.is_regular_file()) files.push_back(f.path());
  // Markers first, flushed, then the files: a crash in between leaves both, and the study is
  // simply handed to the routes again (which find it done) and retired again.
  for (const auto& f : files) create_marker(markers / f.filename());
  sync_path(markers);
  sync_path(markers.parent_path());
  for (const auto& f : files) std::filesystem::remove(f);
  std::error_code ec;
  std::filesystem::remove(study_folder(name), ec);  // empty now
  sync_path(root_ / "studies");
  return true;
}

}  // namespace radveil::net
