#include "deid/header_deidentifier.h"

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "core/quarantine_error.h"
#include "core/version.h"
#include "deid/deid_marker.h"
#include "deid/dummy_values.h"
#include "deid/pseudonym_attributes.h"
#include "deid/text_cleaner.h"
#include "dicom/values.h"
#include "profile/action.h"
#include "profile/profile_table.h"
#include "profile/safe_private.h"
#include "profile/type2_sequences.h"
#include "profile/unlisted_rule.h"
#include "pseudonym/date_shift.h"

namespace radveil::deid {
namespace {

using profile::Action;
using profile::ActionKind;
using profile::ProfileOption;
using profile::SequenceMode;

bool is_dicom_root_uid(std::string_view uid) { return uid.substr(0, 14) == "1.2.840.10008."; }

bool is_overlay_group(std::uint16_t g) { return g >= 0x6000 && g <= 0x601E && (g & 1) == 0; }

// One walk over one dataset: holds what the walk needs and what it counts.
class Walker {
 public:
  Walker(const profile::OptionSet& options, const pseudonym::Pseudonymizer& pseudo, DeidResult& result,
         std::string sop_class)
      : options_(options), pseudo_(pseudo), result_(result), sop_class_(std::move(sop_class)) {}

  void walk(DcmItem& item, int depth, SequenceMode mode) {
    if (depth > kMaxSequenceDepth)
      throw QuarantineError("sequence-too-deep",
                            "sequences nest deeper than " + std::to_string(kMaxSequenceDepth) + " levels");
    std::vector<DcmObject*> objects;
    for (DcmObject* o = item.nextInContainer(nullptr); o != nullptr; o = item.nextInContainer(o)) objects.push_back(o);

    // Private creators of this item: (group, block byte) -> creator.
    std::map<std::uint32_t, std::string> creators;
    for (DcmObject* o : objects) {
      const DcmTag& t = o->getTag();
      if ((t.getGroup() & 1) && t.getElement() >= 0x0010 && t.getElement() <= 0x00FF)
        creators[(std::uint32_t{t.getGroup()} << 8) | t.getElement()] =
            dicom::element_string(*static_cast<DcmElement*>(o));
    }
    std::set<std::uint32_t> blocks_in_use;
    std::vector<DcmObject*> creator_elements;

    for (DcmObject* o : objects) {
      const DcmTag& t = o->getTag();
      const std::uint16_t g = t.getGroup(), e = t.getElement();
      if (g & 1) {
        if (e >= 0x0010 && e <= 0x00FF) {
          creator_elements.push_back(o);
          continue;
        }
        handle_private(item, o, g, e, creators, blocks_in_use, depth, mode);
        continue;
      }
      if (g == 0x0002 || (depth == 0 && is_overlay_group(g))) {
        // File Meta belongs in the header radveil writes; overlays are removed as whole groups.
        if (is_overlay_group(g) && e == 0x3000) ++result_.counts.overlay_groups_removed;
        remove(item, o);
        continue;
      }
      handle_standard(item, o, g, e, depth, mode);
    }
    for (DcmObject* o : creator_elements) {
      const DcmTag& t = o->getTag();
      if (blocks_in_use.count((std::uint32_t{t.getGroup()} << 8) | t.getElement()) == 0) {
        remove(item, o);
        ++result_.counts.private_removed;
      }
    }
  }

 private:
  void remove(DcmItem& item, DcmObject* o) {
    std::unique_ptr<DcmObject> gone(item.remove(o));
    ++result_.counts.removed;
  }

  void recurse(DcmObject* o, int depth, SequenceMode mode) {
    auto* seq = static_cast<DcmSequenceOfItems*>(o);
    for (unsigned long i = 0; i < seq->card(); ++i) walk(*seq->getItem(i), depth + 1, mode);
  }

  void handle_private(DcmItem& item, DcmObject* o, std::uint16_t g, std::uint16_t e,
                      const std::map<std::uint32_t, std::string>& creators, std::set<std::uint32_t>& blocks_in_use,
                      int depth, SequenceMode mode) {
    const std::uint32_t block = (std::uint32_t{g} << 8) | (e >> 8);
    bool keep = false;
    if (e >= 0x1000 && options_.has(ProfileOption::RetainSafePrivate)) {
      auto it = creators.find(block);
      keep = it != creators.end() && profile::is_safe_private(g, it->second, static_cast<std::uint8_t>(e & 0xFF));
    }
    if (!keep) {
      remove(item, o);
      ++result_.counts.private_removed;
      return;
    }
    blocks_in_use.insert(block);
    ++result_.counts.private_kept;
    if (o->ident() == EVR_SQ) recurse(o, depth, mode);
  }

  void handle_standard(DcmItem& item, DcmObject* o, std::uint16_t g, std::uint16_t e, int depth, SequenceMode mode) {
    const std::string_view vr = dicom::vr_name(*o);
    const profile::ProfileRow* row = profile::find_row(g, e);
    const bool is_seq = o->ident() == EVR_SQ;
    profile::SequenceShape shape;
    if (is_seq) {
      shape.empty = static_cast<DcmSequenceOfItems*>(o)->card() == 0;
      shape.type2_in_this_iod = profile::is_type2_sequence(g, e, sop_class_);
    }
    Action action = row ? profile::resolve(*row, options_, is_seq ? &shape : nullptr)
                        : profile::resolve_unlisted(g, e, vr, profile::UnlistedContext{options_, mode});
    if (vr == "UN" && action.kind != ActionKind::Keep) {
      // A value whose VR even the dictionary does not know cannot be edited safely.
      remove(item, o);
      return;
    }
    if (!is_seq && (action.kind == ActionKind::Empty || action.kind == ActionKind::Dummy)) {
      if (auto kind = pseudonym_kind(g, e)) {
        pseudonymize(item, *static_cast<DcmElement*>(o), *kind);
        return;
      }
    }
    if (vr == "DA" || vr == "DT" || vr == "TM") {
      if (action.kind == ActionKind::Clean || action.kind == ActionKind::Keep) {
        handle_temporal(*static_cast<DcmElement*>(o), vr, action);
        return;
      }
    }
    switch (action.kind) {
      case ActionKind::Remove: remove(item, o); return;
      case ActionKind::Empty:
        ++result_.counts.emptied;
        if (is_seq) static_cast<DcmSequenceOfItems*>(o)->clear();
        else static_cast<DcmElement*>(o)->clear();
        return;
      case ActionKind::Dummy:
        if (is_seq) return recurse(o, depth, SequenceMode::Dummy);
        if (vr == "UI") return replace_uids(*static_cast<DcmElement*>(o));
        return put_dummy(*static_cast<DcmElement*>(o), vr);
      case ActionKind::Keep:
        ++result_.counts.kept;
        if (is_seq) recurse(o, depth, mode);
        return;
      case ActionKind::Clean:
        if (is_seq) return recurse(o, depth, SequenceMode::Clean);
        return clean_value(*static_cast<DcmElement*>(o), vr);
      case ActionKind::NewUid:
        if (is_seq) return recurse(o, depth, mode);
        if (vr == "UI") return replace_uids(*static_cast<DcmElement*>(o));
        return put_dummy(*static_cast<DcmElement*>(o), vr);
    }
  }

  void put_dummy(DcmElement& element, std::string_view vr) {
    ++result_.counts.dummies;
    if (auto dummy = dummy_for_vr(vr)) dicom::put_string(element, *dummy);
    else element.clear();
  }

  void clean_value(DcmElement& element, std::string_view vr) {
    ++result_.counts.cleaned;
    if (vr == "UI") return replace_uids(element);
    if (vr == "PN") return put_dummy(element, vr);  // a person's name has no non-identifying meaning
    if (dicom::is_string_vr(vr) && vr != "CS" && vr != "DS" && vr != "IS") {
      const std::string before = dicom::element_string(element);
      const std::string after = clean_text(before, result_.identifying);
      if (after != before) dicom::put_string(element, after);
    }
  }

  // DA, DT, TM under Keep or Clean. Clean is what the longitudinal options ask for: dates move
  // by the patient's shift (modified dates) and times of day stay.
  void handle_temporal(DcmElement& element, std::string_view vr, const Action& action) {
    const bool modified = options_.has(ProfileOption::RetainLongModifiedDates);
    const bool full = options_.has(ProfileOption::RetainLongFullDates);
    if (action.kind == ActionKind::Keep || (vr == "TM" && (modified || full)) || (full && !modified)) {
      ++result_.counts.kept;
      return;
    }
    if (modified) {
      const std::string before = dicom::element_string(element);
      auto shifted = vr == "DA" ? pseudonym::shift_da(before, result_.date_shift_days)
                                : pseudonym::shift_dt(before, result_.date_shift_days);
      if (shifted) {
        dicom::put_string(element, *shifted);
        ++result_.counts.dates_shifted;
      } else {
        element.clear();  // a value we cannot read as a date cannot be shifted safely
        ++result_.counts.invalid_dates_emptied;
      }
      return;
    }
    element.clear();
    ++result_.counts.emptied;
  }

  void replace_uids(DcmElement& element) {
    const std::string before = dicom::element_string(element);
    if (before.empty()) return;
    std::string after;
    bool first = true;
    for (auto uid : dicom::split_values(before)) {
      if (!first) after.push_back('\\');
      first = false;
      while (!uid.empty() && (uid.back() == ' ' || uid.back() == '\0')) uid.remove_suffix(1);
      if (uid.empty() || is_dicom_root_uid(uid)) after.append(uid);
      else {
        after += pseudo_.uid(uid);
        ++result_.counts.uids_replaced;
      }
    }
    dicom::put_string(element, after);
  }

  void pseudonymize(DcmItem& item, DcmElement& element, PseudonymKind kind) {
    const std::string value = dicom::element_string(element);
    if (value.empty()) return;  // nothing to hide; an empty value stays empty
    ++result_.counts.pseudonyms;
    std::string replacement;
    switch (kind) {
      case PseudonymKind::Patient:
        replacement = "RV" + pseudo_.token("patient", HeaderDeidentifier::patient_identity(item), 14);
        if (dicom::vr_name(element) == "PN") replacement += "^ANON";  // family^given, not the retired form
        break;
      case PseudonymKind::Accession: replacement = "A" + pseudo_.token("accession", value, 15); break;
      case PseudonymKind::StudyId: replacement = "S" + pseudo_.token("study-id", value, 15); break;
      case PseudonymKind::OrderNumber: replacement = "O" + pseudo_.token("order", value, 15); break;
    }
    dicom::put_string(element, replacement);
  }

  const profile::OptionSet& options_;
  const pseudonym::Pseudonymizer& pseudo_;
  DeidResult& result_;
  std::string sop_class_;  // the instance's SOP Class UID: decides Type 2 sequences
};

}  // namespace

std::string HeaderDeidentifier::patient_identity(DcmItem& item) {
  const std::string id = dicom::get_string(item, DCM_PatientID);
  if (!id.empty()) return "id:" + id + "^" + dicom::get_string(item, DCM_IssuerOfPatientID);
  const std::string name = dicom::get_string(item, DCM_PatientName);
  if (!name.empty()) return "name:" + name + "^" + dicom::get_string(item, DCM_PatientBirthDate);
  return "study:" + dicom::get_string(item, DCM_StudyInstanceUID);
}

DeidResult HeaderDeidentifier::apply(DcmDataset& dataset) const {
  return apply(dataset, collect_identifying_values(dataset, options_));
}

DeidResult HeaderDeidentifier::apply(DcmDataset& dataset, IdentifyingValues identifying) const {
  DeidResult result;
  result.identifying = std::move(identifying);
  const std::string identity = patient_identity(dataset);
  result.patient_pseudonym = "RV" + pseudonymizer_.token("patient", identity, 14);
  result.date_shift_days = pseudonymizer_.date_shift_days(identity);

  Walker walker(options_, pseudonymizer_, result, dicom::get_string(dataset, DCM_SOPClassUID));
  walker.walk(dataset, 0, SequenceMode::Plain);
  mark_deidentified(dataset, options_);
  return result;
}

}  // namespace radveil::deid
