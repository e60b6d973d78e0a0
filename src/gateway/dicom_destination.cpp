#include "gateway/dicom_destination.h"

#include "net/dicom_tls.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/scu.h>

#include <map>
#include <memory>
#include <set>
#include <utility>

namespace radveil::gateway {
namespace {

// The SOP Class and transfer syntax a file was written in (its File Meta).
std::pair<std::string, std::string> meta_of(const std::filesystem::path& file) {
  DcmFileFormat f;
  if (f.loadFileUntilTag(file.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect, DCM_SOPClassUID).bad())
    throw DeliveryError("a de-identified instance cannot be read back");
  OFString sop, ts;
  f.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop);
  f.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
  return {sop.c_str(), ts.c_str()};
}

// DcmSCU keeps its TLS switch protected; a destination needs it.
class Scu : public DcmSCU {
 public:
  using DcmSCU::useSecureConnection;
};

bool delivered_status(Uint16 status) { return status == 0x0000 || status == 0xB000 || status == 0xB006 || status == 0xB007; }

}  // namespace

DicomDestination::DicomDestination(Destination destination, std::string calling_ae_title)
    : destination_(std::move(destination)),
      calling_(destination_.calling_ae_title.empty() ? std::move(calling_ae_title) : destination_.calling_ae_title) {}

void DicomDestination::deliver(const std::vector<Delivery>& instances, const Acknowledged& acknowledged) {
  const std::string where = destination_.describe();
  // At most 128 presentation contexts per association: batches of distinct (SOP Class, syntax).
  std::size_t next = 0;
  while (next < instances.size()) {
    std::unique_ptr<DcmTLSTransportLayer> tls;  // declared first: it outlives the association
    if (destination_.tls) {
      try {
        tls = net::tls_layer(*destination_.tls, NET_REQUESTOR);
      } catch (const std::runtime_error& e) {
        throw DeliveryError(where + ": " + e.what());
      }
    }
    Scu scu;
    scu.setAETitle(calling_.c_str());
    scu.setPeerHostName(destination_.host.c_str());
    scu.setPeerPort(static_cast<Uint16>(destination_.port));
    scu.setPeerAETitle(destination_.ae_title.c_str());
    scu.setACSETimeout(static_cast<Uint32>(destination_.timeout_seconds));
    scu.setDIMSETimeout(static_cast<Uint32>(destination_.timeout_seconds));
    scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    scu.setConnectionTimeout(destination_.timeout_seconds);
    std::vector<std::pair<const Delivery*, std::pair<std::string, std::string>>> batch;
    std::set<std::pair<std::string, std::string>> contexts;
    std::set<std::string> classes;
    for (; next < instances.size(); ++next) {
      auto meta = meta_of(instances[next].file);
      const bool new_context = !contexts.count(meta), new_class = !classes.count(meta.first);
      if (contexts.size() + classes.size() + new_context + new_class > 120) break;
      if (new_context) {
        OFList<OFString> syntaxes;
        syntaxes.push_back(meta.second.c_str());
        scu.addPresentationContext(meta.first.c_str(), syntaxes);
        contexts.insert(meta);
      }
      if (new_class) {
        OFList<OFString> uncompressed;
        uncompressed.push_back(UID_LittleEndianExplicitTransferSyntax);
        uncompressed.push_back(UID_LittleEndianImplicitTransferSyntax);
        scu.addPresentationContext(meta.first.c_str(), uncompressed);
        classes.insert(meta.first);
      }
      batch.push_back({&instances[next], std::move(meta)});
    }
    OFCondition cond = scu.initNetwork();
    if (cond.good() && tls) cond = scu.useSecureConnection(tls.get());  // on the network initNetwork made
    if (cond.good()) cond = scu.negotiateAssociation();
    if (cond.bad()) throw DeliveryError(where + ": cannot open an association (" + std::string(cond.text()) + ")");
    for (const auto& [d, meta] : batch) {
      T_ASC_PresentationContextID id = scu.findPresentationContextID(meta.first.c_str(), meta.second.c_str());
      if (id == 0) id = scu.findAnyPresentationContextID(meta.first.c_str(), UID_LittleEndianExplicitTransferSyntax);
      if (id == 0) {
        scu.releaseAssociation();
        throw DeliveryError(where + ": the destination accepts no transfer syntax for SOP Class " + meta.first);
      }
      Uint16 status = 0;
      cond = scu.sendSTORERequest(id, d->file.c_str(), nullptr, status);
      if (cond.bad()) {
        scu.abortAssociation();
        throw DeliveryError(where + ": C-STORE failed (" + std::string(cond.text()) + ")");
      }
      if (!delivered_status(status)) {
        scu.releaseAssociation();
        char hex[8];
        std::snprintf(hex, sizeof hex, "%04X", status);
        throw DeliveryError(where + ": the destination refused an instance (status " + hex + ")");
      }
      acknowledged(*d);
    }
    scu.releaseAssociation();
  }
}

}  // namespace radveil::gateway
