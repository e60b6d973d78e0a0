#pragma once
// What the node's DICOM listener needs to know: its AE title and port, whom it accepts, its
// limits and time-outs, and DICOM TLS. Read from the node's configuration ([listen] in
// docs/gateway.md); kept here, below the gateway, so the listener depends on nothing above it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace radveil::net {

// DICOM TLS (PS3.15 B.9 BCP 195 profile): this side's certificate and key, and the CA whose
// certificates it trusts for the other side.
struct TlsSettings {
  std::filesystem::path cert_file, key_file, ca_file;
  bool require_peer_certificate = true;  // listener: a caller without a trusted certificate is refused
};

// A calling AE title the node accepts, and the host it must come from when one is given
// ("CT01" or "CT01@10.1.2.3").
struct AllowedCaller {
  std::string ae_title, host;
};

struct ListenSettings {
  std::string ae_title = "RADVEIL";
  int port = 11112;
  std::vector<AllowedCaller> allow;
  int stable_seconds = 60;      // quiet time before a study is processed
  int max_associations = 8;     // at once; more are rejected (transient)
  unsigned max_pdu = 65536;     // the largest PDU the node receives
  int timeout_seconds = 30;     // association negotiation, each DIMSE message, and a stalled read
  // Connections that have not yet sent a whole association request: each must send it within
  // request_seconds; at most max_pending_connections wait at once, max_pending_per_host of them
  // from one address. Past a limit the connection that has waited longest is dropped.
  int request_seconds = 5;
  int max_pending_connections = 64;
  int max_pending_per_host = 8;
  // Intake answers A700 (Out of Resources) while the spool's file system has less free space.
  std::uint64_t min_free_mb = 256;
  std::optional<TlsSettings> tls;
};

}  // namespace radveil::net
