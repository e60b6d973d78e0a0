#pragma once
// `radveil serve`'s configuration (TOML; docs/gateway.md and examples/radveil-node.toml):
// where state and the site key are, what the node listens as and whom it accepts, and its routes
// (purpose, recipient, de-identification options, destination). Relative paths are taken from the
// configuration file's folder. Every mistake is refused by name before anything starts.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/listen_settings.h"
#include "profile/deid_options.h"
#include "scan/finding.h"

namespace radveil::gateway {

class NodeConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using net::AllowedCaller;
using net::ListenSettings;
using net::TlsSettings;

struct Destination {
  enum class Kind { Dicom, Stow, Folder } kind = Kind::Folder;
  std::string ae_title, host, calling_ae_title;  // dicom
  int port = 104;
  std::string url;              // stow
  std::filesystem::path path;   // folder
  int timeout_seconds = 30;
  int connections = 4;          // dicom: associations at once; stow: requests at once; folder: 1
  std::optional<TlsSettings> tls;  // dicom: DICOM TLS to the destination
  std::string describe() const;  // "dicom RESEARCH@127.0.0.1:4242", never a patient value
};

struct Route {
  std::string name, purpose, recipient;
  std::vector<std::string> option_names;
  profile::DeidOptions options;
  Destination destination;
  int retry_initial_seconds = 5, retry_max_seconds = 300;
  int jobs = 0;  // de-identification threads (0: the cores shared among the routes)
  std::optional<scan::FailLevel> scan_gate;  // scan_gate = "high": studies failing the scan are held back
};

struct NodeConfig {
  std::filesystem::path state, key;
  ListenSettings listen;
  std::optional<int> status_port;  // the HTTP status endpoint, on loopback
  std::vector<Route> routes;
};

NodeConfig parse_node_config(std::string_view toml_text, const std::filesystem::path& base);
NodeConfig load_node_config(const std::filesystem::path& file);

}  // namespace radveil::gateway
