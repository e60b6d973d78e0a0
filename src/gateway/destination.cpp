#include "gateway/destination.h"

#include "gateway/dicom_destination.h"
#include "gateway/folder_destination.h"
#include "gateway/stow_destination.h"

namespace radveil::gateway {

std::unique_ptr<DestinationClient> make_destination(const Destination& d, const std::string& calling_ae_title) {
  switch (d.kind) {
    case Destination::Kind::Dicom: return std::make_unique<DicomDestination>(d, calling_ae_title);
    case Destination::Kind::Stow: return std::make_unique<StowDestination>(d);
    case Destination::Kind::Folder: return std::make_unique<FolderDestination>(d.path);
  }
  throw DeliveryError("unknown destination kind");
}

}  // namespace radveil::gateway
