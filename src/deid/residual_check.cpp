#include "deid/residual_check.h"

#include <cstdio>

#include "core/quarantine_error.h"
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

void check(DcmItem& item, const IdentifyingValues& identifying, int depth) {
  for (DcmObject* o = item.nextInContainer(nullptr); o != nullptr; o = item.nextInContainer(o)) {
    if (o->ident() == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(o);
      for (unsigned long i = 0; i < seq->card(); ++i) check(*seq->getItem(i), identifying, depth + 1);
      continue;
    }
    if (!is_checked(*o)) continue;
    if (identifying.found_in(dicom::element_string(*static_cast<DcmElement*>(o)))) {
      char tag[16];
      std::snprintf(tag, sizeof tag, "(%04X,%04X)", o->getTag().getGroup(), o->getTag().getElement());
      throw QuarantineError("residual-phi", std::string("attribute ") + tag + " at sequence depth " +
                                                std::to_string(depth) + " still holds an identifying value");
    }
  }
}

}  // namespace

void check_no_residual_identity(DcmItem& dataset, const IdentifyingValues& identifying) {
  if (identifying.empty()) return;
  check(dataset, identifying, 0);
}

}  // namespace radveil::deid
