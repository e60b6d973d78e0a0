#pragma once
// Where a route delivers: a DICOM AE (C-STORE SCU), a DICOMweb STOW-RS endpoint (HTTP POST of
// multipart/related application/dicom) or a folder. deliver() reports each instance the
// destination acknowledged as it is acknowledged; it throws DeliveryError when the destination
// cannot take (the rest of) them, naming the destination and the reason, never a patient value.
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gateway/node_config.h"

namespace radveil::gateway {

class DeliveryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Delivery {
  std::string input_id;
  std::filesystem::path file;   // the de-identified instance
  std::filesystem::path relative;  // its path under the route's output (pseudonyms only)
  std::string sop_instance_uid;    // the de-identified SOP Instance UID
};

using Acknowledged = std::function<void(const Delivery&)>;

class DestinationClient {
 public:
  virtual ~DestinationClient() = default;
  virtual void deliver(const std::vector<Delivery>& instances, const Acknowledged& acknowledged) = 0;
};

// `calling_ae_title`: the node's own AE title, for a dicom destination that names none.
std::unique_ptr<DestinationClient> make_destination(const Destination& destination, const std::string& calling_ae_title);

}  // namespace radveil::gateway
