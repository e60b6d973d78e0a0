#include "net/dicom_listener.h"

#include "gateway/node_log.h"
#include "net/dicom_tls.h"

#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dul.h>
#include <netdb.h>
#include <dcmtk/dcmnet/scpcfg.h>

#include <algorithm>
#include <chrono>
#include <vector>
#include <stdexcept>
#include <thread>

namespace radveil::net {
namespace {

constexpr int kAssociationRequestSeconds = 5;

std::string trimmed(const char* text) {
  std::string s(text ? text : "");
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// The peer's address as DCMTK gives it ("host" or "host:port"), without the port.
std::string peer_host(const char* address) {
  std::string s(address ? address : "");
  const auto colon = s.rfind(':');
  if (colon != std::string::npos && s.find(':') == colon) s.erase(colon);  // IPv4 or a name with a port
  return s;
}

// The numeric addresses a configured host stands for (a name is resolved once, at start).
std::vector<std::string> addresses_of(const std::string& host) {
  std::vector<std::string> out;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return {host};
  for (const addrinfo* a = found; a; a = a->ai_next) {
    char text[NI_MAXHOST];
    if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) == 0) out.push_back(text);
  }
  freeaddrinfo(found);
  return out;
}

void reject(T_ASC_Association*& assoc, T_ASC_RejectParametersResult result, T_ASC_RejectParametersSource source,
            T_ASC_RejectParametersReason reason) {
  T_ASC_RejectParameters rej{result, source, reason};
  ASC_rejectAssociation(assoc, &rej);
  ASC_dropAssociation(assoc);
  ASC_destroyAssociation(&assoc);
}

}  // namespace

DicomListener::DicomListener(const gateway::ListenSettings& settings, gateway::Spool& spool, ListenerCounters& counters)
    : settings_(settings), spool_(spool), counters_(counters) {}

DicomListener::~DicomListener() = default;

void DicomListener::run() {
  DcmSCPConfig config;
  config.setAETitle(settings_.ae_title.c_str());
  config.setMaxReceivePDULength(settings_.max_pdu);
  config.setACSETimeout(static_cast<Uint32>(settings_.timeout_seconds));
  config.setDIMSETimeout(static_cast<Uint32>(settings_.timeout_seconds));
  config.setDIMSEBlockingMode(DIMSE_NONBLOCKING);  // a stalled sender times out instead of holding a slot
  const DcmSharedSCPConfig shared(config);

  // Peers are known by their numeric address (no reverse lookup: faster, and not spoofable by DNS).
  dcmDisableGethostbyaddr.set(OFTrue);
  std::vector<std::pair<std::string, std::vector<std::string>>> allowed_callers;
  for (const auto& a : settings_.allow)
    allowed_callers.push_back({a.ae_title, a.host.empty() ? std::vector<std::string>{} : addresses_of(a.host)});
  T_ASC_Network* network = nullptr;
  // DCMTK reads a connection's A-ASSOCIATE-RQ inside its accept call: a peer that connects and
  // says nothing holds the acceptor for this long (other senders wait in the TCP backlog).
  const int request_timeout = std::min(settings_.timeout_seconds, kAssociationRequestSeconds);
  OFCondition cond = ASC_initializeNetwork(NET_ACCEPTOR, settings_.port, request_timeout, &network);
  if (cond.bad()) throw std::runtime_error("cannot listen on port " + std::to_string(settings_.port) + ": " + cond.text());
  std::unique_ptr<DcmTLSTransportLayer> tls;  // outlives the network it is set on
  if (settings_.tls) {
    try {
      tls = tls_layer(*settings_.tls, NET_ACCEPTOR);
    } catch (...) {
      ASC_dropNetwork(&network);
      throw;
    }
    ASC_setTransportLayer(network, tls.get(), 0);
  }
  const OFBool secure = tls ? OFTrue : OFFalse;
  const IntakeEvents events{[this] { ++counters_.stored; }, [this](const std::string&) { ++counters_.refused; }};
  while (!stop_) {
    T_ASC_Association* assoc = nullptr;
    cond = ASC_receiveAssociation(network, &assoc, settings_.max_pdu, nullptr, nullptr, secure, DUL_NOBLOCK, 1);
    if (cond == DUL_NOASSOCIATIONREQUEST) {
      ASC_destroyAssociation(&assoc);
      continue;
    }
    if (cond.bad()) {  // a broken request: that connection ends, the listener goes on
      if (assoc) {
        ASC_dropAssociation(assoc);
        ASC_destroyAssociation(&assoc);
      }
      ++counters_.rejected;
      continue;
    }
    const std::string calling = trimmed(assoc->params->DULparams.callingAPTitle);
    const std::string called = trimmed(assoc->params->DULparams.calledAPTitle);
    const std::string host = peer_host(assoc->params->DULparams.callingPresentationAddress);  // numeric
    bool allowed = false;
    for (const auto& [ae, hosts] : allowed_callers)
      allowed |= ae == calling && (hosts.empty() || std::find(hosts.begin(), hosts.end(), host) != hosts.end());
    if (!allowed) {
      gateway::log_event("association-rejected", {{"calling_ae", calling}, {"peer", host}, {"reason", "calling AE title or host not allowed"}});
      ++counters_.rejected;
      reject(assoc, ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER, ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED);
      continue;
    }
    if (called != settings_.ae_title) {
      gateway::log_event("association-rejected", {{"calling_ae", calling}, {"peer", host}, {"reason", "called AE title is not the node's"}});
      ++counters_.rejected;
      reject(assoc, ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER, ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED);
      continue;
    }
    if (counters_.active >= settings_.max_associations) {
      gateway::log_event("association-rejected", {{"calling_ae", calling}, {"peer", host}, {"reason", "max_associations reached"}});
      ++counters_.rejected;
      reject(assoc, ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
             ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED);
      continue;
    }
    if (accept_contexts(assoc->params).bad()) {
      ++counters_.rejected;
      reject(assoc, ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
             ASC_REASON_SP_PRES_TEMPORARYCONGESTION);
      continue;
    }
    gateway::log_event("association-accepted", {{"calling_ae", calling}, {"peer", host}});
    ++counters_.associations;
    ++counters_.active;
    std::thread([this, assoc, &shared, events] {
      {
        IntakeScp scp(spool_, events);
        scp.setSharedConfig(shared);
        scp.run(assoc);  // negotiates, serves until release, abort or time-out, and frees the association
      }
      --counters_.active;
    }).detach();
  }
  // Drain: no new associations; those in progress end by release or by their time-out.
  while (counters_.active > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASC_dropNetwork(&network);
}

}  // namespace radveil::net
