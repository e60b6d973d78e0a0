#pragma once
// A radveil node under test: a synthetic archive, a key, one recipient, and a node configuration
// with the given routes, started and fed by the test (the gateway's e2e and fault tests).
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/disclosures.h"
#include "support/peers.h"
#include "support/test_support.h"

namespace radveil::test {

struct ArchiveShape {
  int patients = 2, slices = 3, rows = 64;
};

struct NodeSetup {
  TempDir dir;
  nlohmann::json answer;
  int port = free_port();
  std::filesystem::path state;  // dir/state unless given

  NodeSetup(int patients, const std::string& routes, const std::string& listen_extra)
      : NodeSetup(ArchiveShape{patients, 3, 64}, routes, listen_extra) {}
  NodeSetup(ArchiveShape shape, const std::string& routes, const std::string& listen_extra, std::filesystem::path state_dir = {});

  std::unique_ptr<Process> start_node(const std::string& log = "node.log") const;
  std::unique_ptr<Process> send_archive(const std::string& log, const std::vector<std::string>& extra = {}) const;
  std::vector<ledger::Disclosure> disclosures() const;
  std::size_t expected_instances() const;  // those the answer key says are de-identified
  std::size_t recorded_instances() const;
};

// A route to a DICOM destination RESEARCH at 127.0.0.1:port, retrying every 1-2 s.
std::string dicom_route(const std::string& name, int port);
// A route to a folder.
std::string folder_route(const std::string& name, const std::filesystem::path& folder);

// A TCP connection to the node that the test controls byte by byte.
int connect_to(int port);

}  // namespace radveil::test
