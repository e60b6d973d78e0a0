#pragma once
// A DICOM destination: one association per batch (DCMTK's DcmSCU), proposing each instance's SOP
// Class in its own transfer syntax and in uncompressed little endian; an instance counts as
// delivered when its C-STORE response is success (0000) or a warning (B000, B006, B007).
#include "gateway/destination.h"

namespace radveil::gateway {

class DicomDestination final : public DestinationClient {
 public:
  DicomDestination(Destination destination, std::string calling_ae_title);
  void deliver(const std::vector<Delivery>& instances, const Acknowledged& acknowledged) override;

 private:
  Destination destination_;
  std::string calling_;
};

}  // namespace radveil::gateway
