#pragma once
#include "gateway/destination.h"

namespace radveil::gateway {

class FolderDestination final : public DestinationClient {
 public:
  explicit FolderDestination(std::filesystem::path root);
  void deliver(const std::vector<Delivery>& instances, const Acknowledged& acknowledged) override;

 private:
  std::filesystem::path root_;
};

}  // namespace radveil::gateway
