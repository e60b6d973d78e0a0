#include "net/intake_scp.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/dimse.h>

#include <filesystem>
#include <memory>
#include <vector>

namespace radveil::net {
namespace {

constexpr Uint16 kOutOfResources = 0xA700;
constexpr Uint16 kCannotUnderstand = 0xC000;
constexpr Uint16 kNoDataSet = 0x0101;

std::string command_string(DcmDataset& command, const DcmTagKey& tag) {
  OFString value;
  command.findAndGetOFString(tag, value);
  return value.c_str();
}

}  // namespace

IntakeScp::IntakeScp(Spool& spool, IntakeEvents events, T_ASC_Association* association)
    : spool_(spool), events_(std::move(events)), association_(association) {}

OFCondition IntakeScp::refuse_store(T_ASC_PresentationContextID context, Uint16 message_id, const std::string& sop_class,
                                    const std::string& sop_instance, Uint16 status, const char* reason) {
  if (events_.refused) events_.refused(reason);
  // The optional UIDs are sent only when there are (valid) ones to echo.
  T_DIMSE_Message response{};
  response.CommandField = DIMSE_C_STORE_RSP;
  T_DIMSE_C_StoreRSP& rsp = response.msg.CStoreRSP;
  rsp.MessageIDBeingRespondedTo = message_id;
  rsp.DimseStatus = status;
  rsp.DataSetType = DIMSE_DATASET_NULL;
  if (!sop_class.empty()) {
    rsp.opts |= O_STORE_AFFECTEDSOPCLASSUID;
    OFStandard::strlcpy(rsp.AffectedSOPClassUID, sop_class.c_str(), sizeof rsp.AffectedSOPClassUID);
  }
  if (!sop_instance.empty()) {
    rsp.opts |= O_STORE_AFFECTEDSOPINSTANCEUID;
    OFStandard::strlcpy(rsp.AffectedSOPInstanceUID, sop_instance.c_str(), sizeof rsp.AffectedSOPInstanceUID);
  }
  return sendDIMSEMessage(context, &response, nullptr, nullptr);
}

OFCondition IntakeScp::handleIncomingCommand(T_DIMSE_Message* message, const DcmPresentationContextInfo& context) {
  if (message->CommandField != DIMSE_C_STORE_RQ) return DcmThreadSCP::handleIncomingCommand(message, context);
  T_DIMSE_C_StoreRQ& request = message->msg.CStoreRQ;
  const auto& config = getConfig();
  if (!spool_.has_room()) {  // below the threshold: the data set is read and let go, the sender told why
    DIC_UL bytes = 0, pdvs = 0;
    OFCondition cond = DIMSE_ignoreDataSet(association_, config.getDIMSEBlockingMode(), config.getDIMSETimeout(), &bytes, &pdvs);
    if (cond.bad()) return cond;
    return refuse_store(context.presentationContextID, request.MessageID, request.AffectedSOPClassUID,
                        request.AffectedSOPInstanceUID, kOutOfResources, "out-of-resources");
  }
  const std::filesystem::path file = spool_.incoming_file();
  OFCondition cond = receiveSTORERequest(request, context.presentationContextID, file.c_str());
  if (cond == DIMSE_OUTOFRESOURCES) {  // the file could not be written (a full disk); DCMTK read the rest
    std::error_code ec;
    std::filesystem::remove(file, ec);
    return refuse_store(context.presentationContextID, request.MessageID, request.AffectedSOPClassUID,
                        request.AffectedSOPInstanceUID, kOutOfResources, "out-of-resources");
  }
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
  } catch (const SpoolError&) {
    status = kCannotUnderstand;
    if (events_.refused) events_.refused("unreadable-instance");
  } catch (const std::exception&) {  // the disk is full, the spool cannot be written
    std::error_code ec;
    std::filesystem::remove(file, ec);
    status = kOutOfResources;
    if (events_.refused) events_.refused("out-of-resources");
  }
  return sendSTOREResponse(context.presentationContextID, request, status);
}

bool IntakeScp::answer_unparsable(T_ASC_PresentationContextID context, DcmDataset& command) {
  Uint16 field = 0, message_id = 0, data_set_type = kNoDataSet;
  if (command.findAndGetUint16(DCM_CommandField, field).bad() || field != DIMSE_C_STORE_RQ) return false;
  if (command.findAndGetUint16(DCM_MessageID, message_id).bad()) return false;
  command.findAndGetUint16(DCM_CommandDataSetType, data_set_type);
  const auto& config = getConfig();
  if (data_set_type != kNoDataSet) {
    DIC_UL bytes = 0, pdvs = 0;
    if (DIMSE_ignoreDataSet(association_, config.getDIMSEBlockingMode(), config.getDIMSETimeout(), &bytes, &pdvs).bad())
      return false;
  }
  // The response names the request's UIDs only where they are valid UIDs; a longer one is left out.
  std::string sop_class = command_string(command, DCM_AffectedSOPClassUID);
  std::string sop_instance = command_string(command, DCM_AffectedSOPInstanceUID);
  if (sop_class.size() > 64) sop_class.clear();
  if (sop_instance.size() > 64) sop_instance.clear();
  return refuse_store(context, message_id, sop_class, sop_instance, kCannotUnderstand, "unparsable-command").good();
}

void IntakeScp::handleAssociation() {
  const auto& config = getConfig();
  OFCondition cond = EC_Normal;
  while (cond.good()) {
    T_DIMSE_Message message;
    T_ASC_PresentationContextID context = 0;
    DcmDataset* raw = nullptr;
    cond = DIMSE_receiveCommand(association_, config.getDIMSEBlockingMode(), config.getDIMSETimeout(), &context, &message,
                                nullptr, &raw);
    std::unique_ptr<DcmDataset> command(raw);
    if (cond.good()) {
      DcmPresentationContextInfo info;
      getPresentationContextInfo(association_, context, info);
      cond = handleIncomingCommand(&message, info);
    } else if (command && context != 0 && cond != DUL_PEERREQUESTEDRELEASE && cond != DUL_PEERABORTEDASSOCIATION &&
               answer_unparsable(context, *command)) {
      cond = EC_Normal;
    }
  }
  if (cond == DUL_PEERREQUESTEDRELEASE) {
    notifyReleaseRequest();
    ASC_acknowledgeRelease(association_);
  } else if (cond == DUL_PEERABORTEDASSOCIATION) {
    notifyAbortRequest();
  } else {
    notifyDIMSEError(cond);
    ASC_abortAssociation(association_);
  }
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
