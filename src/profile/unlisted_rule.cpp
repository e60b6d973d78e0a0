#include "profile/unlisted_rule.h"

#include <algorithm>
#include <array>

namespace radveil::profile {
namespace {

constexpr std::uint32_t tag(std::uint16_t g, std::uint16_t e) { return (std::uint32_t{g} << 16) | e; }

// Sorted at first use. Each entry is a standard attribute with a text VR whose content is a code,
// a label of equipment or processing, or a unit: nothing a patient or staff member is named by.
constexpr std::array kSafeText = {
    tag(0x0008, 0x0070),  // Manufacturer
    tag(0x0008, 0x0100),  // Code Value
    tag(0x0008, 0x0102),  // Coding Scheme Designator
    tag(0x0008, 0x0103),  // Coding Scheme Version
    tag(0x0008, 0x0104),  // Code Meaning
    tag(0x0008, 0x0114),  // Coding Scheme External ID
    tag(0x0008, 0x0115),  // Coding Scheme Name
    tag(0x0008, 0x0116),  // Coding Scheme Responsible Organization
    tag(0x0008, 0x0119),  // Long Code Value
    tag(0x0008, 0x0120),  // URN Code Value
    tag(0x0008, 0x0122),  // Mapping Resource Name
    tag(0x0008, 0x1090),  // Manufacturer's Model Name
    tag(0x0018, 0x0024),  // Sequence Name
    tag(0x0018, 0x0031),  // Radiopharmaceutical
    tag(0x0018, 0x1016),  // Secondary Capture Device Manufacturer
    tag(0x0018, 0x1018),  // Secondary Capture Device Manufacturer's Model Name
    tag(0x0018, 0x1019),  // Secondary Capture Device Software Versions
    tag(0x0018, 0x1020),  // Software Versions
    tag(0x0018, 0x1160),  // Filter Type
    tag(0x0018, 0x1180),  // Collimator/grid Name
    tag(0x0018, 0x1210),  // Convolution Kernel
    tag(0x0018, 0x1250),  // Receive Coil Name
    tag(0x0018, 0x1251),  // Transmit Coil Name
    tag(0x0018, 0x5020),  // Processing Function
    tag(0x0018, 0x9005),  // Pulse Sequence Name
    tag(0x0020, 0x1040),  // Position Reference Indicator
    tag(0x0020, 0x9056),  // Stack ID (names a stack of frames)
    tag(0x0028, 0x1054),  // Rescale Type
    tag(0x0028, 0x1055),  // Window Center & Width Explanation
    tag(0x0028, 0x3003),  // LUT Explanation
    tag(0x0028, 0x3004),  // Modality LUT Type
    tag(0x0040, 0x9210),  // LUT Label
};

// Short labels that IODs require (Type 1) and that describe content, not people: cleaned (C)
// rather than emptied, so the object stays valid and known identifying values still go.
constexpr std::array kRequiredLabels = {
    tag(0x0062, 0x0005),  // Segment Label
    tag(0x0062, 0x0009),  // Segment Algorithm Name
    tag(0x0070, 0x0006),  // Unformatted Text Value (waveform and graphic annotations)
};


constexpr std::array kClassUidAttributes = {
    tag(0x0002, 0x0002),  // Media Storage SOP Class UID
    tag(0x0002, 0x0010),  // Transfer Syntax UID
    tag(0x0002, 0x0012),  // Implementation Class UID
    tag(0x0004, 0x1510),  // Referenced SOP Class UID in File
    tag(0x0004, 0x1512),  // Referenced Transfer Syntax UID in File
    tag(0x0008, 0x0016),  // SOP Class UID
    tag(0x0008, 0x010C),  // Coding Scheme UID
    tag(0x0008, 0x010D),  // Context Group Extension Creator UID
    tag(0x0008, 0x0117),  // Context UID
    tag(0x0008, 0x0118),  // Mapping Resource UID
    tag(0x0008, 0x1150),  // Referenced SOP Class UID
    tag(0x0008, 0x9123),  // Creator-Version UID
    tag(0x0008, 0x001A),  // Related General SOP Class UID
    tag(0x0008, 0x001B),  // Original Specialized SOP Class UID
    tag(0x0008, 0x0062),  // SOP Classes in Study
};

template <std::size_t N>
bool contains(const std::array<std::uint32_t, N>& arr, std::uint32_t key) {
  return std::find(arr.begin(), arr.end(), key) != arr.end();
}


bool is_keepable_vr(std::string_view vr) {
  // Binary and coded values; also DCMTK's names for the ambiguous binary VRs of implicit-VR input
  // (xs: US or SS, ox/px: OB or OW, lt: US, SS or OW, up: UL), such as palette descriptors.
  static constexpr std::array<std::string_view, 23> kKeep = {
      "CS", "DS", "IS", "FL", "FD", "SL", "SS", "UL", "US", "SV", "UV", "AT",
      "OB", "OW", "OF", "OD", "OL", "OV", "xs", "ox", "px", "lt", "up"};
  return std::find(kKeep.begin(), kKeep.end(), vr) != kKeep.end();
}

}  // namespace

bool is_text_vr(std::string_view vr) {
  static constexpr std::array<std::string_view, 10> kText = {"AE", "AS", "LO", "LT", "PN", "SH",
                                                              "ST", "UC", "UR", "UT"};
  return std::find(kText.begin(), kText.end(), vr) != kText.end();
}

bool is_listed_safe_text(std::uint16_t group, std::uint16_t element) {
  return contains(kSafeText, tag(group, element));
}
std::size_t listed_safe_text_count() { return kSafeText.size(); }
bool is_required_label(std::uint16_t group, std::uint16_t element) {
  return contains(kRequiredLabels, tag(group, element));
}
bool is_class_uid_attribute(std::uint16_t group, std::uint16_t element) {
  return contains(kClassUidAttributes, tag(group, element));
}

Action resolve_unlisted(std::uint16_t group, std::uint16_t element, std::string_view vr,
                        const UnlistedContext& ctx) {
  if (element == 0x0000) return {ActionKind::Remove};  // group lengths are recomputed on write
  if (vr == "SQ") return {ActionKind::Keep};
  if (vr == "UI")  // the engine also keeps any value under the DICOM root (well-known UIDs)
    return is_class_uid_attribute(group, element) ? Action{ActionKind::Keep} : Action{ActionKind::NewUid};
  if (vr == "DA" || vr == "DT") {
    if (ctx.options.has(ProfileOption::RetainLongFullDates)) return {ActionKind::Keep};
    if (ctx.options.has(ProfileOption::RetainLongModifiedDates))
      return {ActionKind::Clean, true, ProfileOption::RetainLongModifiedDates};
    return {ActionKind::Empty};
  }
  if (vr == "TM") {
    if (ctx.options.has(ProfileOption::RetainLongFullDates) ||
        ctx.options.has(ProfileOption::RetainLongModifiedDates))
      return {ActionKind::Keep};
    return {ActionKind::Empty};
  }
  if (is_keepable_vr(vr)) return {ActionKind::Keep};
  if (is_text_vr(vr)) {
    if (is_listed_safe_text(group, element)) return {ActionKind::Keep};
    switch (ctx.enclosing) {
      case SequenceMode::Clean: return {ActionKind::Clean};
      case SequenceMode::Dummy: return {ActionKind::Dummy};
      case SequenceMode::Plain:
        return is_required_label(group, element) ? Action{ActionKind::Clean} : Action{ActionKind::Empty};
    }
  }
  return {ActionKind::Remove};
}

}  // namespace radveil::profile
