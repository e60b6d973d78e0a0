#include "cli/header_comparison.h"

#include <dcmtk/dcmdata/dctk.h>

#include <sstream>
#include <vector>

#include "dicom/values.h"

namespace radveil::cli {
namespace {

std::string value_of(DcmDataset& ds, const DcmTagKey& tag) {
  DcmElement* e = nullptr;
  if (ds.findAndGetElement(tag, e).bad() || e == nullptr) return "(absent)";
  if (e->ident() == EVR_SQ) return "(sequence, " + std::to_string(static_cast<DcmSequenceOfItems*>(static_cast<DcmObject*>(e))->card()) + " items)";
  std::string v = dicom::element_string(*e);
  if (v.empty()) return "(empty)";
  if (v.size() > 38) v = v.substr(0, 35) + "...";
  return v;
}

std::string fit(std::string s, std::size_t width) {
  if (s.size() > width) s = s.substr(0, width - 3) + "...";
  s.resize(width, ' ');
  return s;
}

}  // namespace

std::string compare_headers(const std::filesystem::path& before, const std::filesystem::path& after) {
  DcmFileFormat a, b;
  if (a.loadFile(OFFilename(before.c_str())).bad() || b.loadFile(OFFilename(after.c_str())).bad())
    return "(cannot read files for comparison)\n";
  const std::vector<std::pair<DcmTagKey, const char*>> rows = {
      {DCM_PatientName, "Patient's Name"},          {DCM_PatientID, "Patient ID"},
      {DCM_PatientBirthDate, "Birth Date"},         {DCM_PatientAddress, "Patient's Address"},
      {DCM_OtherPatientIDsSequence, "Other Patient IDs Seq"},
      {DCM_AccessionNumber, "Accession Number"},    {DCM_StudyDate, "Study Date"},
      {DCM_StudyDescription, "Study Description"},  {DCM_ReferringPhysicianName, "Referring Physician"},
      {DCM_InstitutionName, "Institution Name"},    {DCM_StationName, "Station Name"},
      {DCM_StudyInstanceUID, "Study Instance UID"}, {DCM_SOPInstanceUID, "SOP Instance UID"},
      {DcmTagKey(0x0009, 0x1001), "(0009,1001) private"}, {DCM_PatientIdentityRemoved, "Patient Identity Removed"},
      {DCM_DeidentificationMethod, "De-identification Method"},
  };
  std::ostringstream out;
  out << fit("attribute", 26) << fit("before", 40) << "after\n" << std::string(106, '-') << "\n";
  for (const auto& [tag, name] : rows)
    out << fit(name, 26) << fit(value_of(*a.getDataset(), tag), 40) << value_of(*b.getDataset(), tag) << "\n";
  OFString source_ae;
  a.getMetaInfo()->findAndGetOFString(DCM_SourceApplicationEntityTitle, source_ae);
  OFString source_ae_after;
  b.getMetaInfo()->findAndGetOFString(DCM_SourceApplicationEntityTitle, source_ae_after);
  out << fit("File Meta Source AE", 26) << fit(source_ae.empty() ? "(absent)" : source_ae.c_str(), 40)
      << (source_ae_after.empty() ? "(absent)" : source_ae_after.c_str()) << "\n";
  return out.str();
}

}  // namespace radveil::cli
