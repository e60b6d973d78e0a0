#pragma once
// DICOM TLS (PS3.15 B.9, the BCP 195 non-downgrading profile) with DCMTK's dcmtls: a transport
// layer for the listener (its certificate; callers' certificates checked against the CA) or for a
// destination (the destination's certificate checked; ours offered when configured).
#include <dcmtk/dcmtls/tlslayer.h>

#include <memory>

#include "net/listen_settings.h"

namespace radveil::net {

// std::runtime_error naming the file when a certificate or key cannot be used.
std::unique_ptr<DcmTLSTransportLayer> tls_layer(const TlsSettings& settings, T_ASC_NetworkRole role);

}  // namespace radveil::net
