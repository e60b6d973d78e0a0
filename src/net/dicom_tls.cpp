#include "net/dicom_tls.h"

#include <stdexcept>
#include <string>

namespace radveil::net {
namespace {

void check(const OFCondition& cond, const std::string& what) {
  if (cond.bad()) throw std::runtime_error("DICOM TLS: " + what + " (" + cond.text() + ")");
}

}  // namespace

std::unique_ptr<DcmTLSTransportLayer> tls_layer(const TlsSettings& s, T_ASC_NetworkRole role) {
  auto layer = std::make_unique<DcmTLSTransportLayer>(role, nullptr, OFTrue);
  if (!*layer) throw std::runtime_error("DICOM TLS cannot start (OpenSSL)");
  check(layer->setTLSProfile(TSP_Profile_BCP195_ND), "the BCP 195 profile is unavailable");
  check(layer->activateCipherSuites(), "no cipher suite of the profile is available");
  if (!s.cert_file.empty()) {
    check(layer->setPrivateKeyFile(s.key_file.c_str(), DCF_Filetype_PEM), "cannot use the key " + s.key_file.string());
    check(layer->setCertificateFile(s.cert_file.c_str(), DCF_Filetype_PEM), "cannot use the certificate " + s.cert_file.string());
    if (!layer->checkPrivateKeyMatchesCertificate())
      throw std::runtime_error("DICOM TLS: the key " + s.key_file.string() + " does not match the certificate");
  }
  check(layer->addTrustedCertificateFile(s.ca_file.c_str(), DCF_Filetype_PEM), "cannot read the CA " + s.ca_file.string());
  const bool require = role == NET_REQUESTOR || s.require_peer_certificate;
  layer->setCertificateVerification(require ? DCV_requireCertificate : DCV_checkCertificate);
  return layer;
}

}  // namespace radveil::net
