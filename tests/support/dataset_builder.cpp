#include "support/dataset_builder.h"

#include <memory>
#include <optional>
#include <stdexcept>

#include "dicom/values.h"

namespace radveil::test {

bool put_value(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  DcmTag t(tag);
  if (t.getEVR() == EVR_SQ) return item.insertEmptyElement(tag).good();
  return item.putAndInsertString(tag, value.c_str()).good();
}

DcmItem& append_item(DcmItem& parent, const DcmTagKey& seq) {
  DcmItem* item = nullptr;
  parent.findOrCreateSequenceItem(seq, item, -2);
  return *item;
}

std::string sample_value(DcmEVR vr, const std::string& marker) {
  switch (vr) {
    case EVR_DA: return "20200115";
    case EVR_DT: return "20200115103000.000000";
    case EVR_TM: return "103000";
    case EVR_UI: return "1.2.826.0.1.3680043.10.99.4242";
    case EVR_AS: return "047Y";
    case EVR_DS: case EVR_IS: return "42";
    case EVR_US: case EVR_SS: case EVR_UL: case EVR_SL: case EVR_FL: case EVR_FD: case EVR_SV: case EVR_UV:
      return "42";
    case EVR_AT: return "(0010,0010)";
    case EVR_CS: return "CODE42";
    case EVR_AE: return marker.substr(0, 16);
    case EVR_OB: case EVR_OW: case EVR_OF: case EVR_OD: case EVR_OL: case EVR_OV: case EVR_UN:
      return "1\\2\\3\\4";
    case EVR_SH: return marker.substr(0, 16);
    case EVR_PN: return marker + "^TESTPERSON";
    default: return marker;
  }
}

std::optional<std::string> value_of(DcmItem& item, const DcmTagKey& tag) {
  DcmElement* e = nullptr;
  if (item.findAndGetElement(tag, e, OFFalse).bad() || e == nullptr) return std::nullopt;
  return dicom::element_string(*e);
}

}  // namespace radveil::test
