#include "deid/residual_check.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

#include "core/quarantine_error.h"
#include "core/report_text.h"
#include "dicom/values.h"
#include "profile/unlisted_rule.h"

namespace radveil::deid {
namespace {

// Free text that radveil wrote, cleaned or kept under an option. Code strings and the attributes
// listed safe (code meanings, manufacturer, ...) are standard vocabulary: a patient called "Test"
// or "Name" would otherwise quarantine every SR whose codes say "Name".
bool is_checked(DcmObject& o) {
  const DcmTag& tag = o.getTag();
  return profile::is_text_vr(dicom::vr_name(o)) && !profile::is_listed_safe_text(tag.getGroup(), tag.getElement());
}

std::string tag_text(const DcmObject& o) {
  char tag[16];
  std::snprintf(tag, sizeof tag, "(%04X,%04X)", o.getTag().getGroup(), o.getTag().getElement());
  return tag;
}

bool ascii_repertoire(std::string_view vr) {
  static constexpr std::array<std::string_view, 8> kAscii = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM"};
  return std::find(kAscii.begin(), kAscii.end(), vr) != kAscii.end();
}

// Each value of a multi-valued UI element is a UID (trailing padding aside).
bool all_uids(std::string_view value) {
  while (true) {
    const auto split = value.find('\\');
    std::string_view one = value.substr(0, split);
    while (!one.empty() && (one.back() == ' ' || one.back() == '\0')) one.remove_suffix(1);
    if (!one.empty() && !report_text::is_uid(one)) return false;
    if (split == std::string_view::npos) return true;
    value.remove_prefix(split + 1);
  }
}

bool fits_repertoire(DcmObject& o) {
  const std::string_view vr = dicom::vr_name(o);
  if (vr != "UI" && !ascii_repertoire(vr)) return true;
  char* raw = nullptr;
  if (static_cast<DcmElement&>(o).getString(raw).bad() || raw == nullptr) return true;  // empty
  const std::string_view value(raw, static_cast<DcmElement&>(o).getLengthField());
  if (vr == "UI") return all_uids(value);
  return std::all_of(value.begin(), value.end(), [](char c) { return (c >= 0x20 && c <= 0x7e) || c == '\0'; });
}

void check_repertoires(DcmItem& item, int depth) {
  for (DcmObject* o = item.nextInContainer(nullptr); o != nullptr; o = item.nextInContainer(o)) {
    if (o->ident() == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(o);
      for (unsigned long i = 0; i < seq->card(); ++i) check_repertoires(*seq->getItem(i), depth + 1);
    } else if (!fits_repertoire(*o)) {
      throw QuarantineError("invalid-value", "attribute " + tag_text(*o) + " at sequence depth " +
                                                 std::to_string(depth) + " holds bytes its VR does not allow");
    }
  }
}

void check(DcmItem& item, const IdentifyingValues& identifying, int depth) {
  for (DcmObject* o = item.nextInContainer(nullptr); o != nullptr; o = item.nextInContainer(o)) {
    if (o->ident() == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(o);
      for (unsigned long i = 0; i < seq->card(); ++i) check(*seq->getItem(i), identifying, depth + 1);
      continue;
    }
    if (!is_checked(*o)) continue;
    if (identifying.found_in(dicom::element_string(*static_cast<DcmElement*>(o)))) {
      throw QuarantineError("residual-phi", "attribute " + tag_text(*o) + " at sequence depth " +
                                                std::to_string(depth) + " still holds an identifying value");
    }
  }
}

}  // namespace

void check_no_residual_identity(DcmItem& dataset, const IdentifyingValues& identifying) {
  if (identifying.empty()) return;
  check(dataset, identifying, 0);
}

void check_value_repertoires(DcmItem& dataset) { check_repertoires(dataset, 0); }

}  // namespace radveil::deid
