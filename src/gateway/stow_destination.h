#pragma once
// A DICOMweb destination: STOW-RS (PS3.18 10.5), HTTP POST of multipart/related;
// type="application/dicom" to URL (…/studies), in batches. 200 means every instance was stored;
// 202 means some were: those the response's Referenced SOP Sequence lists count as delivered.
#include "gateway/destination.h"

namespace radveil::gateway {

class StowDestination final : public DestinationClient {
 public:
  explicit StowDestination(Destination destination);
  void deliver(const std::vector<Delivery>& instances, const Acknowledged& acknowledged) override;

 private:
  Destination destination_;
};

}  // namespace radveil::gateway
