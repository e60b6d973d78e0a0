#pragma once
// One association of the node's DICOM listener: C-ECHO, and C-STORE into the spool. Each
// instance is received straight to a file (bit for bit, as sent), kept durably by the spool, and
// only then acknowledged (status 0000). An instance the spool cannot keep is answered with a
// failure status the sender can see; the association goes on.
#include <dcmtk/dcmnet/scpthrd.h>

#include <functional>
#include <string>

#include "gateway/spool.h"

namespace radveil::net {

// What an association did, for the node's counters (no patient value).
struct IntakeEvents {
  std::function<void()> stored;
  std::function<void(const std::string& reason)> refused;
};

class IntakeScp : public DcmThreadSCP {
 public:
  IntakeScp(gateway::Spool& spool, IntakeEvents events);

 protected:
  OFCondition handleIncomingCommand(T_DIMSE_Message* message, const DcmPresentationContextInfo& context) override;
  // The listener negotiated the presentation contexts already (accept_contexts).
  OFCondition negotiateAssociation() override { return EC_Normal; }

 private:
  gateway::Spool& spool_;
  IntakeEvents events_;
};

// Accepts the presentation contexts the node serves: Verification, and every storage SOP Class in
// every transfer syntax DCMTK knows, uncompressed preferred (the spool keeps what was sent as it
// was sent). Any number of SOP Classes, unlike an association profile's 128.
OFCondition accept_contexts(T_ASC_Parameters* params);

}  // namespace radveil::net
