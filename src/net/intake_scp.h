#pragma once
// One association of the node's DICOM listener: C-ECHO, and C-STORE into the spool. Each
// instance is received straight to a file (bit for bit, as sent), kept durably by the spool, and
// only then acknowledged (status 0000). Whatever goes wrong with one instance is answered with a
// status the sender can see, and the association goes on: A700 (Out of Resources) when the
// spool's disk is below its threshold or full, C000 (Cannot Understand) when the data set or its
// command cannot be used (no UIDs, unreadable, a UID longer than DICOM allows).
#include <dcmtk/dcmnet/scpthrd.h>

#include <functional>
#include <string>

#include "net/spool.h"

namespace radveil::net {

// What an association did, for the node's counters (no patient value).
struct IntakeEvents {
  std::function<void()> stored;
  std::function<void(const std::string& reason)> refused;  // "out-of-resources", "unreadable-instance", ...
};

class IntakeScp : public DcmThreadSCP {
 public:
  // `association` is the one run() will serve (DcmSCP keeps its own pointer private).
  IntakeScp(Spool& spool, IntakeEvents events, T_ASC_Association* association);

 protected:
  OFCondition handleIncomingCommand(T_DIMSE_Message* message, const DcmPresentationContextInfo& context) override;
  // The listener negotiated the presentation contexts already (accept_contexts).
  OFCondition negotiateAssociation() override { return EC_Normal; }
  // DcmSCP's loop, except that a command DCMTK cannot parse (a C-STORE whose UID is too long) is
  // answered with C000 instead of ending the association.
  void handleAssociation() override;

 private:
  bool answer_unparsable(T_ASC_PresentationContextID context, DcmDataset& command);
  OFCondition refuse_store(T_ASC_PresentationContextID context, Uint16 message_id, const std::string& sop_class,
                           const std::string& sop_instance, Uint16 status, const char* reason);

  Spool& spool_;
  IntakeEvents events_;
  T_ASC_Association* association_;
};

// Accepts the presentation contexts the node serves: Verification, and every storage SOP Class in
// every transfer syntax DCMTK knows, uncompressed preferred (the spool keeps what was sent as it
// was sent). Any number of SOP Classes, unlike an association profile's 128.
OFCondition accept_contexts(T_ASC_Parameters* params);

}  // namespace radveil::net
