#include "gateway/spool.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "dicom/instance_file.h"
#include "dicom/values.h"

namespace radveil::gateway {
namespace {

std::atomic<std::uint64_t> g_reception{0};

}  // namespace

void sync_path(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(std::string("cannot open for fsync: ") + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error(std::string("fsync failed: ") + std::strerror(error));
}

Spool::Spool(std::filesystem::path root, const pseudonym::SecretKey& key) : root_(std::move(root)), names_(key) {
  std::filesystem::create_directories(root_ / "incoming");
  std::filesystem::create_directories(root_ / "studies");
}

std::filesystem::path Spool::incoming_file() {
  return root_ / "incoming" / (std::to_string(::getpid()) + "-" + std::to_string(++g_reception) + ".part");
}

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
  const std::string name = names_.token("spool study", study, 26);
  const std::filesystem::path folder = study_folder(name);
  const bool new_folder = std::filesystem::create_directories(folder);
  const std::filesystem::path target = folder / (names_.token("spool instance", instance, 26) + ".dcm");
  sync_path(received);
  // Never over an instance already kept: the same SOP Instance again (a sender retrying after a
  // lost acknowledgement, two associations sending it at once, a study sent twice) leaves the
  // first copy standing, as Orthanc does by default. Replacing it would make the routes process,
  // deliver and record it a second time.
  if (::renameat2(AT_FDCWD, received.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    const int error = errno;
    std::filesystem::remove(received);
    if (error == EEXIST) return name;
    throw std::runtime_error(std::string("cannot keep a received instance: ") + std::strerror(error));
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
    if (!e.is_directory()) continue;
    SpooledStudy s{e.path().filename().string(), e.last_write_time(), 0};
    for (const auto& f : std::filesystem::directory_iterator(e.path())) s.instances += f.is_regular_file();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace radveil::gateway
