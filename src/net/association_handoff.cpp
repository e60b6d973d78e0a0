#include "net/association_handoff.h"

#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dul.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <mutex>

namespace radveil::net {
namespace {

std::mutex g_handoff;                   // guards dcmExternalSocketHandle
thread_local bool t_holding = false;    // this thread holds g_handoff

void let_go() {
  if (!t_holding) return;
  dcmExternalSocketHandle.set(DCMNET_INVALID_SOCKET);
  t_holding = false;
  g_handoff.unlock();
}

// DCMTK asks its network's transport layer for a connection right after it has taken the socket:
// the moment the process-wide handle may be given to the next connection.
class HandoffLayer : public DcmTransportLayer {
 public:
  HandoffLayer(DcmTransportLayer* tls, int request_seconds) : tls_(tls), request_seconds_(request_seconds) {}
  DcmTransportConnection* createConnection(DcmNativeSocketType socket, OFBool secure) override {
    let_go();
    set_read_timeout(socket, request_seconds_);  // the TLS handshake and the request, read by read
    return tls_ ? tls_->createConnection(socket, secure) : DcmTransportLayer::createConnection(socket, secure);
  }

 private:
  DcmTransportLayer* tls_;
  int request_seconds_;
};

}  // namespace

void set_read_timeout(int socket, int seconds) {
  timeval t{seconds, 0};
  ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
  ::setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &t, sizeof t);
}

ReceivedAssociation receive_association(int socket, DcmTransportLayer* tls, int request_seconds, unsigned max_pdu) {
  ReceivedAssociation out;
  g_handoff.lock();
  t_holding = true;
  dcmExternalSocketHandle.set(socket);  // with it set, no listening socket is made either
  out.condition = ASC_initializeNetwork(NET_ACCEPTOR, 0, request_seconds, &out.network);
  if (out.condition.good()) {
    auto* layer = new HandoffLayer(tls, request_seconds);
    out.condition = ASC_setTransportLayer(out.network, layer, 1);  // the network owns it from here
    if (out.condition.bad()) delete layer;
  }
  if (out.condition.good())
    out.condition = ASC_receiveAssociation(out.network, &out.association, static_cast<int>(max_pdu), nullptr, nullptr,
                                           tls ? OFTrue : OFFalse, DUL_NOBLOCK, request_seconds);
  let_go();  // when DCMTK failed before it took the socket
  if (out.condition.bad() && out.association) {
    ASC_dropAssociation(out.association);
    ASC_destroyAssociation(&out.association);
  }
  return out;
}

void release(ReceivedAssociation& received) {
  if (received.association) {
    ASC_dropAssociation(received.association);
    ASC_destroyAssociation(&received.association);
  }
  if (received.network) ASC_dropNetwork(&received.network);
}

}  // namespace radveil::net
