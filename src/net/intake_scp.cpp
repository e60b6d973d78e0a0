#include "net/intake_scp.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/diutil.h>

#include <filesystem>
#include <vector>

namespace radveil::net {
namespace {

constexpr Uint16 kOutOfResources = 0xA700;
constexpr Uint16 kCannotUnderstand = 0xC000;

}  // namespace

IntakeScp::IntakeScp(gateway::Spool& spool, IntakeEvents events) : spool_(spool), events_(std::move(events)) {}

OFCondition IntakeScp::handleIncomingCommand(T_DIMSE_Message* message, const DcmPresentationContextInfo& context) {
  if (message->CommandField != DIMSE_C_STORE_RQ) return DcmThreadSCP::handleIncomingCommand(message, context);
  T_DIMSE_C_StoreRQ& request = message->msg.CStoreRQ;
  const std::filesystem::path file = spool_.incoming_file();
  OFCondition cond = receiveSTORERequest(request, context.presentationContextID, file.c_str());
  if (cond.bad()) {  // the data set did not arrive whole: nothing was kept, the association ends
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (events_.refused) events_.refused("reception-failed");
    return cond;
  }
  Uint16 status = STATUS_Success;
  try {
    spool_.admit(file);
    if (events_.stored) events_.stored();
  } catch (const gateway::SpoolError&) {
    status = kCannotUnderstand;
    if (events_.refused) events_.refused("unreadable-instance");
  } catch (const std::exception&) {  // the disk is full, the spool cannot be written
    std::error_code ec;
    std::filesystem::remove(file, ec);
    status = kOutOfResources;
    if (events_.refused) events_.refused("spool-failed");
  }
  return sendSTOREResponse(context.presentationContextID, request, status);
}

OFCondition accept_contexts(T_ASC_Parameters* params) {
  std::vector<const char*> syntaxes{UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
                                    UID_BigEndianExplicitTransferSyntax, UID_DeflatedExplicitVRLittleEndianTransferSyntax};
  // Then every encapsulated one (JPEG, JPEG-LS, JPEG 2000, RLE, MPEG, HEVC), but not JPIP references.
  for (int ts = EXS_JPEGProcess1; ts <= EXS_HEVCMain10ProfileLevel5_1; ++ts) {
    const DcmXfer xfer{static_cast<E_TransferSyntax>(ts)};
    if (xfer.isEncapsulated() && !xfer.isReferenced()) syntaxes.push_back(xfer.getXferID());
  }
  const char* verification[] = {UID_VerificationSOPClass};
  OFCondition cond = ASC_acceptContextsWithPreferredTransferSyntaxes(params, verification, 1, syntaxes.data(), 2);
  if (cond.good())
    cond = ASC_acceptContextsWithPreferredTransferSyntaxes(params, dcmAllStorageSOPClassUIDs, numberOfDcmAllStorageSOPClassUIDs,
                                                           syntaxes.data(), static_cast<int>(syntaxes.size()));
  return cond;
}

}  // namespace radveil::net
