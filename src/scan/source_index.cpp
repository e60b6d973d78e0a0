#include "scan/source_index.h"

#include <dcmtk/dcmdata/dcpxitem.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/sha256_hex.h"
#include "deid/header_deidentifier.h"
#include "dicom/instance_file.h"
#include "dicom/sniff.h"
#include "dicom/structure_guard.h"
#include "dicom/values.h"
#include "core/input_walker.h"
#include "scan/text_patterns.h"
#include "scan/uid_knowledge.h"

namespace radveil::scan {
namespace {

namespace fs = std::filesystem;

constexpr Uint32 kMaxTextBytes = 1 << 16;  // of an unknown (UN) value read for the UIDs in it

// The UIDs of one original: those in attributes the profile replaces, in private attributes and
// in attributes no dictionary knows (identifiers of its instances, study, series, frame of
// reference...) go to `instance`; those in attributes the profile keeps (a class, a coding
// scheme, a transfer syntax, an implementation) to `named_class`. Well-known UIDs go to neither.
// Also the original's real dates, its institution and device values (as `deid` gathers them:
// standard attributes at any depth) and what its vendor attributes say.
struct Gathered {
  SourceValues& values;
  std::set<std::string, std::less<>>& instance;
  std::set<std::string, std::less<>>& named_class;
  std::vector<std::string> site_values;
  std::string vendor;  // Manufacturer and Manufacturer's Model Name, upper case
};

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void gather(DcmItem& item, Gathered& out, int depth) {
  if (depth > dicom::kMaxNestingDepth) return;
  for (DcmObject* obj = item.nextInContainer(nullptr); obj != nullptr; obj = item.nextInContainer(obj)) {
    if (obj->ident() == EVR_SQ) {
      auto* seq = static_cast<DcmSequenceOfItems*>(obj);
      for (unsigned long i = 0; i < seq->card(); ++i) gather(*seq->getItem(i), out, depth + 1);
      continue;
    }
    const DcmTag& tag = obj->getTag();
    const DcmEVR vr = obj->ident();
    auto& element = *static_cast<DcmElement*>(obj);
    const std::uint16_t g = tag.getGroup(), e = tag.getElement();
    if (!(g & 1) && (deid::is_institution_attribute(g, e) || deid::is_device_attribute(g, e))) {
      const std::string value = dicom::element_string(element);
      for (auto v : dicom::split_values(value)) out.site_values.emplace_back(v);
    } else if (g == 0x0008 && (e == 0x0070 || e == 0x1090)) {
      out.vendor += ascii_upper(dicom::element_string(element)) + '\n';
    }
    const bool private_text = (g & 1) && vr != EVR_UI && vr != EVR_DA && vr != EVR_DT &&
                              dicom::is_string_vr(dicom::vr_name(element));
    if (vr == EVR_UN || private_text) {
      // A value of unknown meaning: the UIDs written in it identify what the original's do.
      std::string text;
      Uint8* bytes = nullptr;
      if (vr == EVR_UN) {
        if (element.getLength() <= kMaxTextBytes && element.getUint8Array(bytes).good() && bytes) text.assign(reinterpret_cast<const char*>(bytes), element.getLength());
      } else {
        text = dicom::element_string(element);
      }
      for (auto uid : uids_in_text(text))
        if (!is_well_known_uid(uid)) out.instance.insert(std::string(uid));
      continue;
    }
    if (vr != EVR_DA && vr != EVR_DT && vr != EVR_UI) continue;
    const std::string value = dicom::element_string(element);
    for (auto v : dicom::split_values(value)) {
      if (vr == EVR_UI) {
        if (v.empty() || is_well_known_uid(v)) continue;
        (profile_keeps_uid(g, e) ? out.named_class : out.instance).insert(std::string(v));
      } else if (is_real_date(v)) {
        out.values.dates.add_date(v.substr(0, 8));
      }
    }
  }
}

}  // namespace

std::optional<std::string> SourceIndex::pixel_digest(DcmItem& dataset) {
  DcmElement* pixels = nullptr;
  if (dataset.findAndGetElement(DCM_PixelData, pixels).bad() || !pixels) return std::nullopt;
  Sha256 sha;
  bool any = false;
  auto* pd = dynamic_cast<DcmPixelData*>(pixels);
  DcmPixelSequence* fragments = nullptr;
  E_TransferSyntax syntax = EXS_Unknown;
  const DcmRepresentationParameter* param = nullptr;
  if (pd) pd->getOriginalRepresentationKey(syntax, param);
  if (pd && DcmXfer(syntax).isEncapsulated() && pd->getEncapsulatedRepresentation(syntax, param, fragments).good() && fragments) {
    for (unsigned long i = 1; i < fragments->card(); ++i) {  // item 0 is the offset table
      DcmPixelItem* item = nullptr;
      Uint8* bytes = nullptr;
      if (fragments->getItem(item, i).good() && item && item->getUint8Array(bytes).good() && bytes) {
        sha.update(bytes, item->getLength());
        any = true;
      }
    }
  } else {
    Uint8* bytes = nullptr;
    if (pixels->getUint8Array(bytes).good() && bytes) {
      sha.update(bytes, pixels->getLength());
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return sha.hex_digest();
}

SourceIndex::SourceIndex(const fs::path& original, std::optional<pseudonym::SecretKey> key) {
  std::optional<pseudonym::Pseudonymizer> pseudonyms;
  if (key) pseudonyms.emplace(*key);
  profile::OptionSet patient_only;
  patient_only.add(profile::ProfileOption::RetainInstitutionIdentity);
  patient_only.add(profile::ProfileOption::RetainDeviceIdentity);
  radveil::for_each_input_file(original, [&](const fs::path& file) {
    const dicom::Sniffed kind = dicom::sniff(file);
    if (kind != dicom::Sniffed::Part10 && kind != dicom::Sniffed::BareDataset) return;
    try {
      dicom::check_nesting_depth(file);
      dicom::LoadedInstance loaded = key ? dicom::load_lazy(file) : dicom::load_complete(file);
      DcmDataset& ds = *loaded.dataset;
      // As deid derives it, from the values as they are (deid converts no character set).
      if (pseudonyms)
        own_pseudonyms_.insert("RV" + pseudonyms->token("patient", deid::HeaderDeidentifier::patient_identity(ds), 14));
      ds.convertToUTF8();  // compared in UTF-8: the scan converts released values to UTF-8 too
      SourceValues values;
      values.patient_identity = deid::collect_identifying_values(ds, patient_only);
      Gathered gathered{values, uids_, class_uids_, {}, {}};
      gather(ds, gathered, 0);
      // The identity: the patient's values, and the institution's and device's. A value of these
      // that the original's own Manufacturer or Model Name contains is the vendor's name standing
      // in for a site (vendor sample data: Institution Name "TOSHIBA" beside Manufacturer
      // "TOSHIBA_MEC"), which every release names anyway: it is not looked for.
      values.identity = values.patient_identity;
      for (const auto& v : gathered.site_values) {
        std::string_view trimmed = v;
        while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
        while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
        if (trimmed.empty() || gathered.vendor.find(ascii_upper(trimmed)) == std::string::npos) values.identity.add_identifier(v);
      }
      const std::size_t index = instances_.size();
      const std::string sop = dicom::get_string(ds, DCM_SOPInstanceUID);
      if (!sop.empty()) {
        by_uid_.emplace(sop, index);
        if (pseudonyms) by_keyed_uid_.emplace(pseudonyms->uid(sop), index);
      }
      if (!key)
        if (auto digest = pixel_digest(ds)) by_pixels_.emplace(*digest, index);
      const std::string series = dicom::get_string(ds, DCM_SeriesInstanceUID);
      if (!series.empty()) files_of_series_[series].push_back(file);
      series_of_.push_back(series);
      all_.identity.merge(values.identity);
      all_.patient_identity.merge(values.patient_identity);
      all_.dates.merge(values.dates);
      instances_.push_back(std::move(values));
    } catch (const std::exception&) {
      ++unreadable_;
    }
  });
  for (auto& [uid, files] : files_of_series_) std::sort(files.begin(), files.end());
}

std::vector<fs::path> SourceIndex::series_files(std::string_view series_uid) const {
  const auto it = files_of_series_.find(series_uid);
  return it == files_of_series_.end() ? std::vector<fs::path>{} : it->second;
}

SourceMatch SourceIndex::match(DcmItem& released) const {
  const auto paired = [&](std::size_t index, std::string_view how) {
    return SourceMatch{&instances_[index], how, series_of_[index]};
  };
  const std::string sop = dicom::get_string(released, DCM_SOPInstanceUID);
  if (auto it = by_keyed_uid_.find(sop); it != by_keyed_uid_.end()) return paired(it->second, "key");
  if (auto it = by_uid_.find(sop); it != by_uid_.end()) return paired(it->second, "uid");
  if (!by_pixels_.empty())
    if (auto digest = pixel_digest(released))
      if (auto it = by_pixels_.find(*digest); it != by_pixels_.end()) return paired(it->second, "pixels");
  return {&all_, "all originals", {}};
}

}  // namespace radveil::scan
