#include "scan/header_scan.h"

#include <cstdio>
#include <string>

#include "core/latin1.h"
#include "deid/identifying_values.h"
#include "deid/release_policy.h"
#include "dicom/structure_guard.h"
#include "dicom/values.h"
#include "scan/dicom_vocabulary.h"
#include "profile/options.h"
#include "profile/safe_private.h"
#include "profile/unlisted_rule.h"
#include "scan/text_patterns.h"
#include "scan/uid_knowledge.h"

namespace radveil::scan {
namespace {

constexpr std::size_t kMaxBinaryTextBytes = 1 << 16;  // of a private or UN value read as text

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

// Binary bytes as text: printable runs of four or more kept, everything else a space.
std::string printable_text(const Uint8* bytes, std::size_t n) {
  std::string out;
  std::string run;
  auto flush = [&] {
    if (run.size() >= 4) out += run;
    out += ' ';
    run.clear();
  };
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = bytes[i];
    if ((c >= 0x20 && c < 0x7F) || c >= 0xA0) run.push_back(static_cast<char>(c));
    else flush();
  }
  flush();
  return valid_utf8(out) ? out : latin1_to_utf8(out);
}

std::string tag_text(const DcmTagKey& key) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "(%04X,%04X)", key.getGroup(), key.getElement());
  return buf;
}

bool is_code_attribute(std::uint16_t g, std::uint16_t e) {
  return g == 0x0008 && (e == 0x0100 || e == 0x0102 || e == 0x0103 || e == 0x0105 || e == 0x0106 || e == 0x010F ||
                         e == 0x0119 || e == 0x0120);
}

// UIDs that name a kind of thing (SOP classes, transfer syntaxes, coding schemes, software) and
// not an instance: never the source's own.
bool is_class_uid_attribute(const DcmTag& tag) {
  const std::string name = DcmTag(tag).getTagName();
  return name.find("Class") != std::string::npos || name.find("Syntax") != std::string::npos ||
         name.find("CodingScheme") != std::string::npos || name.find("MappingResource") != std::string::npos ||
         name.find("Context") != std::string::npos;
}

class HeaderScan {
 public:
  explicit HeaderScan(const HeaderScanInput& in) : in_(in) {}

  std::vector<Finding> run() {
    DcmDataset& ds = *in_.dataset;
    ds.convertToUTF8();  // best effort: values in a character set DCMTK cannot convert stay as they are
    read_declared_options(ds);
    if (in_.source) {
      match_ = in_.match ? *in_.match : in_.source->match(ds);
      identity_ = retains_institution_ || retains_device_ ? &match_.values->patient_identity : &match_.values->identity;
    }
    structural(ds);
    preamble();
    if (in_.meta) walk(*in_.meta, "meta:", 0);
    walk(ds, "", 0);
    return std::move(findings_);
  }

 private:
  void add(std::string kind, Severity severity, std::string location, std::string excerpt) {
    findings_.push_back({std::move(kind), severity, {}, std::move(location), std::move(excerpt)});
  }

  void read_declared_options(DcmDataset& ds) {
    DcmSequenceOfItems* seq = nullptr;
    if (ds.findAndGetSequence(DCM_DeidentificationMethodCodeSequence, seq).bad() || !seq) return;
    for (unsigned long i = 0; i < seq->card(); ++i) {
      const std::string code = dicom::get_string(*seq->getItem(i), DCM_CodeValue);
      for (const auto& info : profile::all_options()) {
        if (info.code != code) continue;
        retains_institution_ |= info.option == profile::ProfileOption::RetainInstitutionIdentity;
        retains_device_ |= info.option == profile::ProfileOption::RetainDeviceIdentity;
        retains_dates_ |= info.option == profile::ProfileOption::RetainLongFullDates;
      }
    }
  }

  void structural(DcmDataset& ds) {
    const std::string removed = dicom::get_string(ds, DCM_PatientIdentityRemoved);
    if (removed != "YES")
      add("identity-not-removed", Severity::High, "(0012,0062) PatientIdentityRemoved", removed.empty() ? "missing" : removed);
    if (ds.tagExists(DCM_EncapsulatedDocument))
      add("encapsulated-document", Severity::High, "(0042,0011) EncapsulatedDocument",
          dicom::get_string(ds, DCM_MIMETypeOfEncapsulatedDocument));
    if (dicom::get_string(ds, DCM_BurnedInAnnotation) == "YES")
      add("burned-in-annotation", Severity::High, "(0028,0301) BurnedInAnnotation", "YES");
    for (Uint16 group = 0x6000; group <= 0x601E; group += 2)
      if (ds.tagExists(DcmTagKey(group, 0x3000)))
        add("overlay", Severity::Medium, tag_text(DcmTagKey(group, 0x3000)) + " OverlayData", "overlay plane");
    for (Uint16 group : deid::overlay_groups_in_pixel_data(ds))
      add("overlay", Severity::Medium, tag_text(DcmTagKey(group, 0x0010)) + " OverlayRows", "overlay in Pixel Data bits");
  }

  void preamble() {
    const std::string_view p = in_.preamble;
    const std::string text = printable_text(reinterpret_cast<const Uint8*>(p.data()), p.size());
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] != ' ') {
        add("preamble-text", Severity::High, "preamble", mask_all(text.substr(i, text.find_last_not_of(' ') + 1 - i)));
        return;
      }
  }

  void walk(DcmItem& item, const std::string& prefix, int depth) {
    if (depth > dicom::kMaxNestingDepth) return;
    for (DcmObject* obj = item.nextInContainer(nullptr); obj != nullptr; obj = item.nextInContainer(obj)) {
      const DcmTag& tag = obj->getTag();
      if (obj->ident() == EVR_SQ) {
        auto* seq = static_cast<DcmSequenceOfItems*>(obj);
        if (tag.getGroup() & 1) private_attribute(tag, prefix + tag_text(tag), "sequence");
        for (unsigned long i = 0; i < seq->card(); ++i)
          walk(*seq->getItem(i), prefix + tag_text(tag) + "[" + std::to_string(i + 1) + "]/", depth + 1);
        continue;
      }
      element(*static_cast<DcmElement*>(obj), prefix);
    }
  }

  static std::string creator_of(const DcmTag& tag) {
    const char* creator = tag.getPrivateCreator();
    return creator ? creator : "";
  }

  // `location` is the private tag's path; the finding names its creator after it.
  void private_attribute(const DcmTag& tag, const std::string& location, std::string excerpt) {
    const std::string creator_name = creator_of(tag);
    const bool safe = !creator_name.empty() && profile::is_safe_private(tag.getGroup(), creator_name,
                                                                        static_cast<std::uint8_t>(tag.getElement() & 0xFF));
    add(safe ? "safe-private-attribute" : "private-attribute", safe ? Severity::Low : Severity::High,
        location + " private [" + creator_name + "]", std::move(excerpt));
  }

  void element(DcmElement& el, const std::string& prefix) {
    const DcmTag& tag = el.getTag();
    const std::uint16_t g = tag.getGroup(), e = tag.getElement();
    if (g == 0x7FE0 || g == 0xFFFE) return;  // Pixel Data is the pixel scan's
    if ((g & 1) && e >= 0x0010 && e <= 0x00FF) return;  // private creators name vendors
    const std::string location = prefix + tag_text(tag) + " " + ((g & 1) ? std::string() : DcmTag(tag).getTagName());
    const DcmEVR vr = el.ident();
    const bool binary = vr == EVR_UN || vr == EVR_OB || vr == EVR_OW || vr == EVR_UNKNOWN || vr == EVR_UNKNOWN2B;
    std::string value;
    if (binary) {
      if (!(g & 1) && vr != EVR_UN) return;  // standard binary values are not text
      Uint8* bytes = nullptr;
      if (el.getUint8Array(bytes).good() && bytes)
        value = printable_text(bytes, std::min<std::size_t>(el.getLength(), kMaxBinaryTextBytes));
    } else if (dicom::is_string_vr(dicom::vr_name(el))) {
      value = dicom::element_string(el);
      if (!valid_utf8(value)) value = latin1_to_utf8(value);  // a character set DCMTK could not convert
    } else {
      if (g & 1) private_attribute(tag, location.substr(0, location.size() - 1), "(numbers)");
      return;
    }
    if (g & 1) {
      const std::string path = location.substr(0, location.size() - 1);
      private_attribute(tag, path, value.empty() ? "" : mask_all(value));
      const std::string named = path + " private [" + creator_of(tag) + "]";  // what is found in it, there
      if (!value.empty()) free_text(value, named, Text::Plain);
      source_values(value, named);
      return;
    }
    if (value.empty()) return;
    by_attribute(tag, vr, value, location);
  }

  void by_attribute(const DcmTag& tag, DcmEVR vr, const std::string& value, const std::string& location) {
    const std::uint16_t g = tag.getGroup(), e = tag.getElement();
    switch (vr) {
      case EVR_PN:
        if (is_person_name_value(value)) add("person-name", Severity::High, location, mask_all(value));
        source_values(value, location);
        return;
      case EVR_DA:
      case EVR_DT:
        if (is_real_date(value)) {
          const bool birth = g == 0x0010 && (e == 0x0030 || e == 0x0032);
          add(birth ? "birth-date" : "date", birth ? Severity::High : Severity::Low, location, mask_all(value));
        }
        source_dates(value, location);
        return;
      case EVR_TM:
        if (value.find_first_not_of("0.: ") != std::string::npos) add("time", Severity::Low, location, mask_all(value));
        return;
      case EVR_AS:
        if (is_age_over_89(value)) add("age-over-89", Severity::High, location, value);
        return;
      case EVR_UI:
        uids(tag, value, location);
        return;
      case EVR_CS:
      case EVR_DS:
      case EVR_IS:
      case EVR_UR:
        return;
      default:
        break;
    }
    if (g == 0x0010 && (e == 0x1040)) {
      if (!is_placeholder(value)) add("address", Severity::High, location, mask_all(value));
    } else if (g == 0x0010 && (e == 0x2154 || e == 0x2155)) {
      if (!is_placeholder(value)) add("phone", Severity::High, location, mask_all(value));
    } else if (deid::is_patient_identifier_attribute(g, e)) {
      if (!is_placeholder(value)) add("identifier-kept", Severity::Low, location, mask_all(value));
    } else if (deid::is_institution_attribute(g, e)) {
      if (!is_placeholder(value)) add("institution", Severity::Medium, location, mask_all(value));
      free_text(value, location, Text::Organisation);
    } else if (deid::is_device_attribute(g, e) || vr == EVR_AE) {
      if (!is_placeholder(value)) add("device-identity", Severity::Medium, location, mask_all(value));
    } else if (g == 0x0008 && e == 0x0116) {
      // Coding Scheme Responsible Organization: an organisation and its postal address (DCMTK
      // writes OFFIS's for its private coding scheme), read as an institution's text is.
      free_text(value, location, Text::Organisation);
    } else if (!is_code_attribute(g, e)) {
      free_text(value, location, profile::is_listed_safe_text(g, e) ? Text::Vocabulary : Text::Plain);
    }
    source_values(value, location);
  }

  // How a text value is read. An organisation's (an institution's name, address or department,
  // a coding scheme's responsible organisation) has its street address and postcode as they are;
  // names, phones and e-mails in it are still found. Equipment vocabulary, the text attributes
  // the profile keeps (Manufacturer, Model Name, Software Versions, Processing Function...),
  // holds part numbers, versions and parameters ("Cassette Holder Type 9840 500 70201",
  // "6000,17133,10625"): an ID- or phone-shaped number there is weak evidence, reported at
  // medium; a name, e-mail or address is found as anywhere.
  enum class Text { Plain, Organisation, Vocabulary };

  void free_text(const std::string& value, const std::string& location, Text text) {
    for (const TextMatch& m : find_identity_in_text(value)) {
      const bool number = m.kind == "id-in-text" || m.kind == "phone";
      if (text == Text::Organisation && (m.kind == "address" || m.kind == "id-in-text")) continue;
      const Severity severity = m.kind == "date-in-text"                  ? Severity::Medium
                                : m.kind == "time-in-text"                ? Severity::Low
                                : text == Text::Vocabulary && number      ? Severity::Medium
                                                                          : Severity::High;
      add(std::string(m.kind), severity, location, mask_match(value, m.begin, m.end));
    }
  }

  // A UID of the original that identifies something of it (it stood in an attribute the profile
  // replaces, or in a private or unknown one) is a finding wherever it is: in an attribute the
  // profile replaces, a private or unknown one, or one that should name a class. There, a UID the
  // original itself gives as a class, scheme or implementation is what that attribute names
  // ("0" as Referenced SOP Class and Instance UID alike); the File Meta's class, syntax and
  // implementation UIDs describe the file as written. Well-known UIDs are never findings.
  void uids(const DcmTag& tag, const std::string& value, const std::string& location) {
    const std::uint16_t g = tag.getGroup(), e = tag.getElement();
    const bool class_attribute = profile_keeps_uid(g, e);
    for (auto v : dicom::split_values(value)) {
      const std::string uid(v);
      if (uid.empty() || is_well_known_uid(uid)) continue;
      if (in_.source && in_.source->is_source_uid(uid) && !(class_attribute && (g == 0x0002 || in_.source->names_class(uid)))) {
        add("source-uid", Severity::High, location, mask_all(uid));
      } else if (uid.rfind("2.25.", 0) != 0 && !class_attribute && !is_class_uid_attribute(tag) && !(g == 0x0002 && e == 0x0012)) {
        add("organisation-uid", Severity::Medium, location, uid.substr(0, uid.find('.', uid.find('.', uid.find('.') + 1) + 1)) + ".*");
      }
    }
  }

  // UIDs of the original written in a text or private value.
  void source_uids_in_text(const std::string& value, const std::string& location) {
    for (auto uid : uids_in_text(value))
      if (!is_well_known_uid(uid) && in_.source->is_source_uid(uid)) add("source-uid", Severity::High, location, mask_all(uid));
  }

  void source_values(const std::string& value, const std::string& location) {
    if (!identity_ || value.empty()) return;
    source_uids_in_text(value, location);
    if (const auto found = source_value_finding(*identity_, value))
      add(std::string(found->kind), found->severity, location, mask_match(identity_->redact(value), 0, 0, 60));
    source_dates(value, location);
  }

  void source_dates(const std::string& value, const std::string& location) {
    if (!match_.values || retains_dates_ || value.empty()) return;
    if (match_.values->dates.found_in(value))
      add("source-date", Severity::High, location, mask_match(match_.values->dates.redact(value), 0, 0, 60));
  }

  const HeaderScanInput& in_;
  std::vector<Finding> findings_;
  SourceMatch match_;
  const deid::IdentifyingValues* identity_ = nullptr;
  bool retains_institution_ = false, retains_device_ = false, retains_dates_ = false;
};

}  // namespace

std::vector<Finding> scan_header(const HeaderScanInput& input) { return HeaderScan(input).run(); }

}  // namespace radveil::scan
