#include "support/structured_reports.h"

#include <dcmtk/dcmsr/dsrdoc.h>

#include <stdexcept>

#include "dicom/values.h"
#include "support/dataset_builder.h"

namespace radveil::test {
namespace {

constexpr const char* kDcmtkCodingSchemeUid = "1.2.276.0.7230010.3.0.0.1";  // OFFIS_CODING_SCHEME_UID
constexpr const char* kSnomedUid = "2.16.840.1.113883.6.96";
constexpr const char* kLoincUid = "2.16.840.1.113883.6.1";
constexpr const char* kUcumUid = "2.16.840.1.113883.6.8";

void check(const OFCondition& c, const char* what) {
  if (c.bad()) throw std::runtime_error(std::string(what) + ": " + c.text());
}

// A UID under `root` that differs by seed and by `n`.
std::string uid_under(const std::string& root, unsigned seed, unsigned n) {
  return root + std::to_string(20240000u + seed) + "." + std::to_string(1000u + n);
}

void patient(DcmItem& ds, const char* name, const char* id, const char* birth) {
  ds.putAndInsertString(DCM_PatientName, name);
  ds.putAndInsertString(DCM_PatientID, id);
  ds.putAndInsertString(DCM_PatientBirthDate, birth);
  ds.putAndInsertString(DCM_PatientSex, "F");
}

void code(DcmItem& item, const DcmTagKey& seq, const char* value, const char* scheme, const char* meaning,
          const char* scheme_uid = nullptr) {
  DcmItem& c = append_item(item, seq);
  c.putAndInsertString(DCM_CodeValue, value);
  c.putAndInsertString(DCM_CodingSchemeDesignator, scheme);
  c.putAndInsertString(DCM_CodeMeaning, meaning);
  if (scheme_uid) c.putAndInsertString(DCM_CodingSchemeUID, scheme_uid);
}

DcmItem& content(DcmItem& parent, const char* relationship, const char* value_type) {
  DcmItem& item = append_item(parent, DCM_ContentSequence);
  item.putAndInsertString(DCM_RelationshipType, relationship);
  item.putAndInsertString(DCM_ValueType, value_type);
  return item;
}

// A UIDREF content item named by a DCM code.
void uid_item(DcmItem& parent, const char* relationship, const char* name_value, const char* name_meaning,
              const std::string& uid) {
  DcmItem& item = content(parent, relationship, "UIDREF");
  code(item, DCM_ConceptNameCodeSequence, name_value, "DCM", name_meaning);
  item.putAndInsertString(DCM_UID, uid.c_str());
}

// A CODE content item named by a DCM code, its value a SNOMED code (with SNOMED's UID).
void snomed_item(DcmItem& parent, const char* relationship, const char* name_value, const char* name_meaning,
                 const char* value, const char* meaning) {
  DcmItem& item = content(parent, relationship, "CODE");
  code(item, DCM_ConceptNameCodeSequence, name_value, "DCM", name_meaning);
  code(item, DCM_ConceptCodeSequence, value, "SCT", meaning, kSnomedUid);
}

void scheme_identification(DcmItem& ds, const char* designator, const char* uid, const char* organisation) {
  DcmItem& item = append_item(ds, DCM_CodingSchemeIdentificationSequence);
  item.putAndInsertString(DCM_CodingSchemeDesignator, designator);
  item.putAndInsertString(DCM_CodingSchemeUID, uid);
  if (organisation) item.putAndInsertString(DCM_CodingSchemeResponsibleOrganization, organisation);
}

// A report of `generator` built from scratch: its class, instance, study and series, modality SR.
GeneratedReport new_report(const char* generator, const char* sop_class, const std::string& sop, const std::string& study,
                           const std::string& series) {
  GeneratedReport r;
  r.generator = generator;
  r.file = std::make_unique<DcmFileFormat>();
  DcmDataset& ds = *r.file->getDataset();
  ds.putAndInsertString(DCM_SOPClassUID, sop_class);
  ds.putAndInsertString(DCM_SOPInstanceUID, sop.c_str());
  ds.putAndInsertString(DCM_StudyInstanceUID, study.c_str());
  ds.putAndInsertString(DCM_SeriesInstanceUID, series.c_str());
  ds.putAndInsertString(DCM_Modality, "SR");
  return r;
}

// The study, series and document attributes an SR needs besides its content (Type 1 and 2).
void sr_document(DcmItem& ds, const char* completion) {
  for (const DcmTagKey& empty : {DCM_StudyTime, DCM_ReferringPhysicianName, DCM_StudyID})
    if (!ds.tagExists(empty)) ds.insertEmptyElement(empty);
  ds.putAndInsertString(DCM_SeriesNumber, "1");
  ds.putAndInsertString(DCM_InstanceNumber, "1");
  ds.insertEmptyElement(DCM_ReferencedPerformedProcedureStepSequence);
  if (!ds.tagExists(DCM_PerformedProcedureCodeSequence)) ds.insertEmptyElement(DCM_PerformedProcedureCodeSequence);
  ds.putAndInsertString(DCM_CompletionFlag, completion);
  ds.putAndInsertString(DCM_VerificationFlag, "UNVERIFIED");
}

// The DCMTK way: DSRDocument, its private coding scheme identified, and, as DCMTK 3.4 wrote it
// (pydicom's test-SR.dcm), the scheme's UID in every code of that scheme.
GeneratedReport dcmtk_report(unsigned seed, bool as_dcmqi) {
  GeneratedReport r;
  r.generator = as_dcmqi ? "dcmqi" : "dcmtk";
  DSRDocument doc(as_dcmqi ? DSRTypes::DT_EnhancedSR : DSRTypes::DT_ComprehensiveSR);
  check(doc.setPatientName(as_dcmqi ? "Lindqvist^Maja" : "Okonkwo^Adaeze"), "patient name");
  check(doc.setPatientID(as_dcmqi ? "QI8812734" : "MRN5520917"), "patient id");
  check(doc.setPatientBirthDate("19610214"), "birth date");
  check(doc.setStudyDescription("CT chest follow-up"), "study description");
  check(doc.setManufacturer(as_dcmqi ? "QIICR" : "OFFIS"), "manufacturer");
  check(doc.getCodingSchemeIdentification().addPrivateDcmtkCodingScheme(), "coding scheme");
  const std::string source_series = uid_under("1.2.826.0.1.3680043.10.99.7.", seed, 1);
  const std::string source_image = uid_under("1.2.826.0.1.3680043.10.99.7.", seed, 2);
  const std::string segmentation = uid_under("1.2.826.0.1.3680043.10.99.7.", seed, 3);
  const std::string tracking = uid_under("1.2.826.0.1.3680043.10.99.7.", seed, 4);
  DSRDocumentTree& tree = doc.getTree();
  check(tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) ? EC_Normal : EC_IllegalCall, "root");
  check(tree.getCurrentContentItem().setConceptName(DSRCodedEntryValue("126000", "DCM", "Imaging Measurement Report")), "root name");
  if (as_dcmqi) check(tree.getCurrentContentItem().setTemplateIdentification("1500", "DCMR"), "template");
  auto add = [&](DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type, DSRTypes::E_AddMode mode,
                 const DSRCodedEntryValue& name) {
    if (tree.addContentItem(rel, type, mode) == 0) throw std::runtime_error("content item not added");
    check(tree.getCurrentContentItem().setConceptName(name), "concept name");
  };
  add(DSRTypes::RT_hasConceptMod, DSRTypes::VT_Code, DSRTypes::AM_belowCurrent,
      DSRCodedEntryValue("121049", "DCM", "Language of Content Item and Descendants"));
  check(tree.getCurrentContentItem().setCodeValue(DSRCodedEntryValue("en-US", "RFC5646", "English (United States)")), "language");
  add(DSRTypes::RT_contains, DSRTypes::VT_Text, DSRTypes::AM_afterCurrent,
      DSRCodedEntryValue("DT.01", OFFIS_CODING_SCHEME_DESIGNATOR, "Clinical Finding"));
  check(tree.getCurrentContentItem().setStringValue("no new nodule"), "text");
  add(DSRTypes::RT_contains, DSRTypes::VT_Code, DSRTypes::AM_afterCurrent,
      DSRCodedEntryValue("CODE_02", OFFIS_CODING_SCHEME_DESIGNATOR, "Diagnosis"));
  check(tree.getCurrentContentItem().setCodeValue(DSRCodedEntryValue("CODE_03", OFFIS_CODING_SCHEME_DESIGNATOR, "Stable")), "code");
  add(DSRTypes::RT_contains, DSRTypes::VT_Container, DSRTypes::AM_afterCurrent,
      DSRCodedEntryValue("125007", "DCM", "Measurement Group"));
  add(DSRTypes::RT_hasObsContext, DSRTypes::VT_Text, DSRTypes::AM_belowCurrent,
      DSRCodedEntryValue("112039", "DCM", "Tracking Identifier"));
  check(tree.getCurrentContentItem().setStringValue("nodule 1"), "tracking id");
  add(DSRTypes::RT_hasObsContext, DSRTypes::VT_UIDRef, DSRTypes::AM_afterCurrent,
      DSRCodedEntryValue("112040", "DCM", "Tracking Unique Identifier"));
  check(tree.getCurrentContentItem().setStringValue(tracking.c_str()), "tracking uid");
  if (as_dcmqi) {
    add(DSRTypes::RT_contains, DSRTypes::VT_Image, DSRTypes::AM_afterCurrent,
        DSRCodedEntryValue("121191", "DCM", "Referenced Segment"));
    check(tree.getCurrentContentItem().setImageReference(DSRImageReferenceValue(UID_SegmentationStorage, segmentation.c_str())),
          "segment");
    add(DSRTypes::RT_contains, DSRTypes::VT_UIDRef, DSRTypes::AM_afterCurrent,
        DSRCodedEntryValue("121232", "DCM", "Source series for segmentation"));
    check(tree.getCurrentContentItem().setStringValue(source_series.c_str()), "source series");
    add(DSRTypes::RT_hasConceptMod, DSRTypes::VT_Text, DSRTypes::AM_afterCurrent,
        DSRCodedEntryValue("111001", "DCM", "Algorithm Name"));
    check(tree.getCurrentContentItem().setStringValue("dcmqi"), "algorithm");
  }
  add(DSRTypes::RT_contains, DSRTypes::VT_Num, DSRTypes::AM_afterCurrent, DSRCodedEntryValue("G-D705", "SRT", "Volume"));
  check(tree.getCurrentContentItem().setNumericValue(DSRNumericMeasurementValue("1.42", DSRCodedEntryValue("cm3", "UCUM", "cubic centimeter"))),
        "volume");
  add(DSRTypes::RT_inferredFrom, DSRTypes::VT_Image, DSRTypes::AM_belowCurrent,
      DSRCodedEntryValue("121112", "DCM", "Source of Measurement"));
  check(tree.getCurrentContentItem().setImageReference(DSRImageReferenceValue(UID_CTImageStorage, source_image.c_str())), "image");
  DcmDataset* ds = nullptr;
  r.file = std::make_unique<DcmFileFormat>();
  ds = r.file->getDataset();
  check(doc.write(*ds), "write");
  // Every code of DCMTK's private scheme carries the scheme's UID, as test-SR.dcm's do.
  std::vector<DcmItem*> stack{ds};
  while (!stack.empty()) {
    DcmItem* item = stack.back();
    stack.pop_back();
    if (dicom::get_string(*item, DCM_CodingSchemeDesignator) == OFFIS_CODING_SCHEME_DESIGNATOR)
      item->putAndInsertString(DCM_CodingSchemeUID, kDcmtkCodingSchemeUid);
    for (unsigned long i = 0; i < item->card(); ++i)
      if (auto* seq = dynamic_cast<DcmSequenceOfItems*>(item->getElement(i)))
        for (unsigned long k = 0; k < seq->card(); ++k) stack.push_back(seq->getItem(k));
  }
  if (as_dcmqi) r.implementation = {"1.2.276.0.7230010.3.0.3.6.4", "OFFIS_DCMTK_364"};  // dcmqi's DCMTK
  for (const DcmTagKey& tag : {DCM_SOPInstanceUID, DCM_StudyInstanceUID, DCM_SeriesInstanceUID})
    r.instance_uids.push_back(dicom::get_string(*ds, tag));
  r.instance_uids.insert(r.instance_uids.end(), {source_image, tracking});
  if (as_dcmqi) r.instance_uids.insert(r.instance_uids.end(), {segmentation, source_series});
  r.kind_uids = {kDcmtkCodingSchemeUid};
  return r;
}

// highdicom's TID 1500: the template and its mapping resource, the schemes it uses identified,
// SNOMED codes carrying SNOMED's UID, a device observer, tracking and referenced instances.
GeneratedReport highdicom_report(unsigned seed) {
  const std::string root = "1.2.826.0.1.3680043.10.511.3.";  // highdicom's UID root
  const std::string sop = uid_under(root, seed, 1), study = uid_under(root, seed, 2), series = uid_under(root, seed, 3);
  const std::string device = uid_under(root, seed, 4), tracking = uid_under(root, seed, 5);
  const std::string image = uid_under("1.3.6.1.4.1.14519.5.2.1.", seed, 6), image_series = uid_under("1.3.6.1.4.1.14519.5.2.1.", seed, 7);
  GeneratedReport r = new_report("highdicom", UID_Comprehensive3DSRStorage, sop, study, series);
  DcmDataset& ds = *r.file->getDataset();
  ds.putAndInsertString(DCM_Manufacturer, "MGH Computational Pathology");
  ds.putAndInsertString(DCM_SoftwareVersions, "0.22.0");
  ds.putAndInsertString(DCM_StudyDate, "20230502");
  ds.putAndInsertString(DCM_ContentDate, "20230503");
  ds.putAndInsertString(DCM_ContentTime, "101500");
  ds.putAndInsertString(DCM_AccessionNumber, "ACC20230502117");
  patient(ds, "Haddad^Samir", "HD-4471092", "19580811");
  scheme_identification(ds, "DCM", "1.2.840.10008.2.16.4", "NEMA");
  scheme_identification(ds, "SCT", kSnomedUid, "IHTSDO");
  scheme_identification(ds, "LN", kLoincUid, "Regenstrief Institute");
  scheme_identification(ds, "UCUM", kUcumUid, "Regenstrief Institute");
  DcmItem& tpl = append_item(ds, DCM_ContentTemplateSequence);
  tpl.putAndInsertString(DCM_MappingResource, "DCMR");
  tpl.putAndInsertString(DCM_MappingResourceUID, "1.2.840.10008.8.1.1");
  tpl.putAndInsertString(DCM_TemplateIdentifier, "1500");
  ds.putAndInsertString(DCM_ValueType, "CONTAINER");
  ds.putAndInsertString(DCM_ContinuityOfContent, "SEPARATE");
  code(ds, DCM_ConceptNameCodeSequence, "126000", "DCM", "Imaging Measurement Report");
  uid_item(ds, "HAS OBS CONTEXT", "121012", "Device Observer UID", device);
  snomed_item(ds, "HAS CONCEPT MOD", "121058", "Procedure reported", "77477000", "Computed Tomography");
  DcmItem& group = content(ds, "CONTAINS", "CONTAINER");
  group.putAndInsertString(DCM_ContinuityOfContent, "SEPARATE");
  code(group, DCM_ConceptNameCodeSequence, "125007", "DCM", "Measurement Group");
  uid_item(group, "HAS OBS CONTEXT", "112040", "Tracking Unique Identifier", tracking);
  snomed_item(group, "CONTAINS", "121071", "Finding", "27925004", "Nodule");
  DcmItem& num = content(group, "CONTAINS", "NUM");
  code(num, DCM_ConceptNameCodeSequence, "81827009", "SCT", "Diameter", kSnomedUid);
  DcmItem& measured = append_item(num, DCM_MeasuredValueSequence);
  measured.putAndInsertString(DCM_NumericValue, "7.5");
  code(measured, DCM_MeasurementUnitsCodeSequence, "mm", "UCUM", "millimeter", kUcumUid);
  DcmItem& source = content(num, "INFERRED FROM", "IMAGE");
  DcmItem& ref = append_item(source, DCM_ReferencedSOPSequence);
  ref.putAndInsertString(DCM_ReferencedSOPClassUID, UID_CTImageStorage);
  ref.putAndInsertString(DCM_ReferencedSOPInstanceUID, image.c_str());
  DcmItem& evidence = append_item(ds, DCM_CurrentRequestedProcedureEvidenceSequence);
  evidence.putAndInsertString(DCM_StudyInstanceUID, study.c_str());
  DcmItem& ev_series = append_item(evidence, DCM_ReferencedSeriesSequence);
  ev_series.putAndInsertString(DCM_SeriesInstanceUID, image_series.c_str());
  DcmItem& ev_sop = append_item(ev_series, DCM_ReferencedSOPSequence);
  ev_sop.putAndInsertString(DCM_ReferencedSOPClassUID, UID_CTImageStorage);
  ev_sop.putAndInsertString(DCM_ReferencedSOPInstanceUID, image.c_str());
  sr_document(ds, "COMPLETE");
  r.implementation = {"1.2.826.0.1.3680043.10.511.0.22.0", "highdicom0.22.0"};
  r.instance_uids = {sop, study, series, device, tracking, image, image_series};
  r.kind_uids = {kSnomedUid, kLoincUid, kUcumUid};
  return r;
}

// A pydicom script: UIDs from generate_uid() under pydicom's root, its own coding scheme given a
// UID under the same root, the scheme's UID in each of its codes, and a private block of its own.
GeneratedReport pydicom_report(unsigned seed) {
  const std::string root = "1.2.826.0.1.3680043.8.498.";  // pydicom's generate_uid() prefix
  const std::string sop = uid_under(root, seed, 11), study = uid_under(root, seed, 12), series = uid_under(root, seed, 13);
  const std::string referenced = uid_under(root, seed, 14);
  const std::string local_scheme = root + "77";  // the lab's coding scheme: a class, not an instance
  GeneratedReport r = new_report("pydicom", UID_BasicTextSRStorage, sop, study, series);
  DcmDataset& ds = *r.file->getDataset();
  ds.putAndInsertString(DCM_StudyDate, "20220917");
  patient(ds, "Fontaine^Clemence", "PYD0049213", "19770329");
  scheme_identification(ds, "99LABREP", local_scheme.c_str(), nullptr);
  ds.putAndInsertString(DCM_ValueType, "CONTAINER");
  ds.putAndInsertString(DCM_ContinuityOfContent, "SEPARATE");
  code(ds, DCM_ConceptNameCodeSequence, "R-0001", "99LABREP", "Lab report", local_scheme.c_str());
  DcmItem& text = content(ds, "CONTAINS", "TEXT");
  code(text, DCM_ConceptNameCodeSequence, "R-0002", "99LABREP", "Impression", local_scheme.c_str());
  text.putAndInsertString(DCM_TextValue, "unremarkable");
  DcmItem& image = content(ds, "CONTAINS", "IMAGE");
  code(image, DCM_ConceptNameCodeSequence, "R-0003", "99LABREP", "Key image", local_scheme.c_str());
  DcmItem& ref = append_item(image, DCM_ReferencedSOPSequence);
  ref.putAndInsertString(DCM_ReferencedSOPClassUID, UID_MRImageStorage);
  ref.putAndInsertString(DCM_ReferencedSOPInstanceUID, referenced.c_str());
  ds.putAndInsertString(DcmTagKey(0x0011, 0x0010), "LABSCRIPT 1");
  dicom::put_private(ds, DcmTagKey(0x0011, 0x1010), EVR_UI, "LABSCRIPT 1", referenced);
  sr_document(ds, "PARTIAL");
  r.implementation = {"1.2.826.0.1.3680043.8.498.1", "PYDICOM 2.4.4"};  // pydicom's PYDICOM_IMPLEMENTATION_UID
  r.instance_uids = {sop, study, series, referenced};
  r.kind_uids = {local_scheme};
  return r;
}

}  // namespace

std::vector<GeneratedReport> reports_from_generators(unsigned seed) {
  std::vector<GeneratedReport> out;
  out.push_back(dcmtk_report(seed, false));
  out.push_back(highdicom_report(seed));
  out.push_back(dcmtk_report(seed, true));
  out.push_back(pydicom_report(seed));
  return out;
}

void write_reports(const std::vector<GeneratedReport>& reports, const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  for (const auto& r : reports) {
    const std::filesystem::path file = folder / (r.generator + ".dcm");
    // The File Meta as DCMTK completes it, with the tool's own implementation UID and name.
    check(r.file->validateMetaInfo(EXS_LittleEndianExplicit), "file meta");
    if (!r.implementation.first.empty()) {
      DcmMetaInfo& m = *r.file->getMetaInfo();
      m.putAndInsertString(DCM_ImplementationClassUID, r.implementation.first.c_str());
      m.putAndInsertString(DCM_ImplementationVersionName, r.implementation.second.c_str());
      check(m.computeGroupLengthAndPadding(EGL_withGL, EPD_noChange, EXS_LittleEndianExplicit), "file meta length");
    }
    check(r.file->saveFile(OFFilename(file.c_str()), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL,
                           EPD_noChange, 0, 0, EWM_dontUpdateMeta),
          "save");
  }
}

}  // namespace radveil::test
