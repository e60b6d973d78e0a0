#include "deid/deid_marker.h"

#include <memory>
#include <string>

#include "core/version.h"

namespace radveil::deid {
namespace {

void add_code(DcmSequenceOfItems& seq, const std::string& value, const std::string& meaning) {
  auto item = std::make_unique<DcmItem>();
  item->putAndInsertString(DCM_CodeValue, value.c_str());
  item->putAndInsertString(DCM_CodingSchemeDesignator, "DCM");
  item->putAndInsertString(DCM_CodeMeaning, meaning.c_str());
  seq.append(item.release());  // the sequence owns its items
}

}  // namespace

void mark_deidentified(DcmDataset& ds, const profile::OptionSet& options) {
  ds.putAndInsertString(DCM_PatientIdentityRemoved, "YES");
  std::string method = std::string("radveil ") + kVersion + " PS3.15 Basic Profile";
  for (auto option : options.list()) method += "\\" + std::string(profile::option_info(option).code_meaning);
  ds.putAndInsertString(DCM_DeidentificationMethod, method.c_str());

  auto seq = std::make_unique<DcmSequenceOfItems>(DCM_DeidentificationMethodCodeSequence);
  add_code(*seq, "113100", "Basic Application Confidentiality Profile");
  for (auto option : options.list()) {
    const auto& info = profile::option_info(option);
    add_code(*seq, std::string(info.code), std::string(info.code_meaning));
  }
  ds.insert(seq.release(), OFTrue /*replace an existing one*/);

  if (options.has(profile::ProfileOption::RetainLongModifiedDates))
    ds.putAndInsertString(DCM_LongitudinalTemporalInformationModified, "MODIFIED");
  else if (options.has(profile::ProfileOption::RetainLongFullDates))
    ds.putAndInsertString(DCM_LongitudinalTemporalInformationModified, "UNMODIFIED");
}

void add_method_code(DcmDataset& ds, const std::string& code, const std::string& meaning) {
  DcmSequenceOfItems* seq = nullptr;
  if (ds.findAndGetSequence(DCM_DeidentificationMethodCodeSequence, seq).bad() || seq == nullptr) return;
  add_code(*seq, code, meaning);
  OFString method;
  ds.findAndGetOFStringArray(DCM_DeidentificationMethod, method);
  ds.putAndInsertString(DCM_DeidentificationMethod, (std::string(method.c_str()) + "\\" + meaning).c_str());
}

std::vector<std::string> method_codes(DcmDataset& ds) {
  std::vector<std::string> codes;
  DcmSequenceOfItems* seq = nullptr;
  if (ds.findAndGetSequence(DCM_DeidentificationMethodCodeSequence, seq).bad() || seq == nullptr) return codes;
  for (unsigned long i = 0; i < seq->card(); ++i) {
    OFString value;
    if (seq->getItem(i)->findAndGetOFString(DCM_CodeValue, value).good()) codes.emplace_back(value.c_str());
  }
  return codes;
}

}  // namespace radveil::deid
