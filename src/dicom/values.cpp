#include "dicom/values.h"

#include <algorithm>
#include <array>
#include <memory>

namespace radveil::dicom {

std::string element_string(DcmElement& element) {
  OFString value;
  if (element.getOFStringArray(value).bad()) return {};
  std::string out(value.c_str(), value.length());
  while (!out.empty() && (out.back() == ' ' || out.back() == '\0')) out.pop_back();
  return out;
}

std::string get_string(DcmItem& item, const DcmTagKey& tag) {
  DcmElement* element = nullptr;
  if (item.findAndGetElement(tag, element, OFFalse).bad() || element == nullptr) return {};
  return element_string(*element);
}

void put_string(DcmElement& element, std::string_view value) {
  element.putString(std::string(value).c_str(), static_cast<Uint32>(value.size()));
}

bool put_private(DcmItem& item, const DcmTagKey& key, DcmEVR vr, const char* creator, std::string_view value) {
  DcmTag tag(key, DcmVR(vr));
  tag.setPrivateCreator(creator);
  DcmElement* created = nullptr;
  DcmItem::newDicomElementWithVR(created, tag);
  std::unique_ptr<DcmElement> element(created);
  if (!element) return false;
  if (vr != EVR_SQ && element->putString(std::string(value).c_str()).bad()) return false;
  if (item.insert(element.get(), OFTrue).bad()) return false;
  element.release();  // the item owns it now
  return true;
}

std::string_view vr_name(const DcmObject& object) {
  DcmVR vr(object.getVR());
  return vr.getVRName();
}

bool is_string_vr(std::string_view vr) {
  static constexpr std::array<std::string_view, 16> kStrings = {
      "AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UR", "UT"};
  return std::find(kStrings.begin(), kStrings.end(), vr) != kStrings.end() || vr == "UI";
}

std::vector<std::string_view> split_values(std::string_view value) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = value.find('\\', start);
    out.push_back(value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace radveil::dicom
