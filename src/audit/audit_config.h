#pragma once
// Where audit messages go: always to a file (one message per line), and, when configured, to a
// syslog collector over TCP with RFC 5425 framing, over TLS unless TLS is turned off on purpose
// (`tls = false`): audit messages carry Patient IDs. A TOML file, STATE/audit.toml by default:
//
//   file = "audit.log"                 # relative to the state folder (the default)
//   source_id = "radveil@ct-gw-1"      # AuditSourceID (default radveil@<host name>)
//   enterprise_site_id = "Hospital A"  # AuditEnterpriseSiteID (optional)
//   [syslog]
//   host = "audit.hospital.example"  port = 6514
//   tls = true                         # the default; false sends clear text, on purpose
//   ca_file = "ca.pem"                 # whom to trust (default: the system's CAs)
//   cert_file = "node.pem"  key_file = "node.key"   # this node's certificate (mutual TLS)
//   server_name = "audit.hospital.example"          # the name the collector's certificate holds (default host)
//   timeout_seconds = 10
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace radveil::audit {

class AuditConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SyslogTarget {
  std::string host;
  int port = 6514;
  bool tls = true;
  std::filesystem::path ca_file, cert_file, key_file;  // empty: system CAs, no client certificate
  std::string server_name;                             // empty: host
  int timeout_seconds = 10;
};

struct AuditConfig {
  std::filesystem::path file;
  std::string source_id, enterprise_site_id;
  std::optional<SyslogTarget> syslog;
};

// `base`: the folder relative paths are taken from (the config file's, or the state folder).
AuditConfig parse_audit_config(std::string_view toml_text, const std::filesystem::path& base,
                               const std::filesystem::path& state_dir);
// STATE/audit.toml when `file` is empty (the defaults when that does not exist either).
AuditConfig load_audit_config(const std::filesystem::path& file, const std::filesystem::path& state_dir);

}  // namespace radveil::audit
