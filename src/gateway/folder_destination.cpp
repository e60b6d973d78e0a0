// A folder destination: each instance copied to PATH/<relative path>, flushed, then renamed into
// place, so a reader of the folder never sees half a file.
#include "gateway/folder_destination.h"

#include <fstream>

#include "core/sync_path.h"

namespace radveil::gateway {

FolderDestination::FolderDestination(std::filesystem::path root) : root_(std::move(root)) {}

void FolderDestination::deliver(const std::vector<Delivery>& instances, const Acknowledged& acknowledged) {
  for (const auto& d : instances) {
    const std::filesystem::path target = root_ / d.relative;
    const std::filesystem::path temporary = target.string() + ".part";
    try {
      std::filesystem::create_directories(target.parent_path());
      std::filesystem::copy_file(d.file, temporary, std::filesystem::copy_options::overwrite_existing);
      sync_path(temporary);
      std::filesystem::rename(temporary, target);
      sync_path(target.parent_path());
    } catch (const std::exception& e) {
      std::error_code ec;
      std::filesystem::remove(temporary, ec);
      const auto* fs_error = dynamic_cast<const std::filesystem::filesystem_error*>(&e);
      throw DeliveryError("folder " + root_.string() + ": " + (fs_error ? fs_error->code().message() : std::string(e.what())));
    }
    acknowledged(d);
  }
}

}  // namespace radveil::gateway
