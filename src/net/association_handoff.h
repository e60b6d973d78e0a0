#pragma once
// Hands a TCP connection that radveil accepted itself to DCMTK, which reads the association
// request from it. DCMTK only takes an accepted socket through its inetd mechanism, a
// process-wide value (dcmExternalSocketHandle): a lock is held from setting it until DCMTK has
// taken the socket (it asks its transport layer for a connection), which never waits on the
// peer. The TLS handshake and the association request are then read without the lock, in the
// connection's own thread, so no peer can hold up another.
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dcmlayer.h>

namespace radveil::net {

struct ReceivedAssociation {
  OFCondition condition;
  T_ASC_Network* network = nullptr;          // this connection's own; drop it after the association
  T_ASC_Association* association = nullptr;  // null when nothing usable was received
};

// Reads an association request from `socket` (DCMTK takes it over and closes it with the
// association); each read waits at most `request_seconds`. `tls` is the TLS layer, or null.
ReceivedAssociation receive_association(int socket, DcmTransportLayer* tls, int request_seconds, unsigned max_pdu);

// Drops the association (if any) and the network of a received association.
void release(ReceivedAssociation& received);

// Sets how long one read of an established association may wait for the peer.
void set_read_timeout(int socket, int seconds);

}  // namespace radveil::net
