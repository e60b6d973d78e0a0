// The header scan of one instance: where identity is found (the attribute path at any depth),
// how serious it is, what radveil's own replacement values look like to it, and matching the
// original's values whatever character set either file is in.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dctk.h>

#include "core/latin1.h"
#include "dicom/values.h"
#include "scan/header_scan.h"
#include "support/test_support.h"

namespace radveil::scan {
namespace {

std::vector<Finding> scan(DcmDataset& ds, const SourceIndex* source = nullptr) {
  return scan_header({nullptr, &ds, {}, source});
}

const Finding* find(const std::vector<Finding>& findings, const std::string& kind, const std::string& where = "") {
  for (const auto& f : findings)
    if (f.kind == kind && f.location.find(where) != std::string::npos) return &f;
  return nullptr;
}

DcmDataset deidentified_looking() {
  DcmDataset ds;
  ds.putAndInsertString(DCM_PatientName, "RV7K2M9QX4HT8Z2P^ANON");
  ds.putAndInsertString(DCM_PatientID, "RV7K2M9QX4HT8Z2P");
  ds.putAndInsertString(DCM_PatientIdentityRemoved, "YES");
  ds.putAndInsertString(DCM_OperatorsName, "ANONYMIZED^ANONYMIZED");
  ds.putAndInsertString(DCM_InstitutionName, "ANONYMIZED");
  ds.putAndInsertString(DCM_StudyDate, "19000101");
  ds.putAndInsertString(DCM_StudyInstanceUID, "2.25.242692593428885621878404532576172036704");
  ds.putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds.putAndInsertString(DCM_StudyDescription, "CT head without contrast");
  return ds;
}

TEST(HeaderScan, RadveilsReplacementValuesAreNotIdentity) {
  DcmDataset ds = deidentified_looking();
  const auto findings = scan(ds);
  for (const auto& f : findings) EXPECT_EQ(f.severity, Severity::Low) << f.kind << " at " << f.location;
  EXPECT_NE(find(findings, "identifier-kept", "(0010,0020) PatientID"), nullptr);
}

TEST(HeaderScan, FindingsNameTheAttributePathAtAnyDepthAndMaskTheValue) {
  DcmDataset ds = deidentified_looking();
  DcmItem* outer = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_RequestAttributesSequence, outer, -2).good());
  DcmItem* inner = nullptr;
  ASSERT_TRUE(outer->findOrCreateSequenceItem(DCM_ReferencedStudySequence, inner, -2).good());
  ASSERT_TRUE(outer->findOrCreateSequenceItem(DCM_ReferencedStudySequence, inner, -2).good());
  inner->putAndInsertString(DCM_RetrieveAETitle, "PACS778899");
  inner->putAndInsertString(DCM_RETIRED_StudyComments, "Called Mrs Okafor on +44 20 7946 0958");
  const auto findings = scan(ds);
  const Finding* name = find(findings, "person-name", "(0040,0275)[1]/(0008,1110)[2]/(0032,4000) RETIRED_StudyComments");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->severity, Severity::High);
  EXPECT_EQ(name->excerpt.find("Okafor"), std::string::npos);
  EXPECT_NE(name->excerpt.find("[O*****]"), std::string::npos) << name->excerpt;
  EXPECT_NE(find(findings, "phone", "(0032,4000)"), nullptr);
  EXPECT_NE(find(findings, "device-identity", "(0008,0054) RetrieveAETitle"), nullptr);
}

TEST(HeaderScan, WhatTheFileSaysAboutItselfIsChecked) {
  DcmDataset ds = deidentified_looking();
  ds.putAndInsertString(DCM_PatientIdentityRemoved, "NO");
  ds.putAndInsertString(DCM_BurnedInAnnotation, "YES");
  ds.putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.99.123456");
  ds.putAndInsertString(DCM_PatientAge, "093Y");
  ds.putAndInsertString(DcmTagKey(0x0019, 0x0010), "GEMS_ACQU_01");
  dicom::put_private(ds, DcmTagKey(0x0019, 0x1023), EVR_DS, "GEMS_ACQU_01", "39.37");  // listed as safe
  ds.putAndInsertString(DcmTagKey(0x0011, 0x0010), "SOMEVENDOR");
  dicom::put_private(ds, DcmTagKey(0x0011, 0x1001), EVR_LO, "SOMEVENDOR", "anything");
  const auto findings = scan(ds);
  EXPECT_NE(find(findings, "identity-not-removed"), nullptr);
  EXPECT_NE(find(findings, "burned-in-annotation"), nullptr);
  EXPECT_NE(find(findings, "organisation-uid", "(0020,000E)"), nullptr);
  EXPECT_EQ(find(findings, "organisation-uid", "(0008,0016)"), nullptr);  // a SOP Class is nobody's
  EXPECT_EQ(find(findings, "organisation-uid", "(0020,000D)"), nullptr);  // 2.25: derived, no root
  EXPECT_NE(find(findings, "age-over-89", "(0010,1010)"), nullptr);
  EXPECT_EQ(find(findings, "private-attribute", "(0011,1001)")->severity, Severity::High);
  EXPECT_EQ(find(findings, "safe-private-attribute", "(0019,1023)")->severity, Severity::Low);
}

TEST(HeaderScan, OriginalValuesAreFoundInAnyCharacterSetAndDeclaredRetentionIsRespected) {
  test::TempDir dir;
  DcmFileFormat original;
  DcmDataset& o = *original.getDataset();
  o.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
  o.putAndInsertString(DCM_PatientName, utf8_to_latin1("MÜLLER^JÜRGEN").c_str());
  o.putAndInsertString(DCM_PatientID, "MRN5550123");
  o.putAndInsertString(DCM_InstitutionName, "Klinikum Nord");
  o.putAndInsertString(DCM_StudyDate, "20190304");
  o.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.42");
  o.putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ASSERT_TRUE(original.saveFile(OFFilename((dir.path() / "o.dcm").c_str()), EXS_LittleEndianExplicit).good());
  const SourceIndex source(dir.path(), std::nullopt);

  // Released in UTF-8 with the SOP Instance UID kept; the name in a private value as Latin-1 bytes.
  DcmDataset released = deidentified_looking();
  released.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
  released.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.42");
  released.putAndInsertString(DCM_ImageComments, "Müller follow-up");
  released.putAndInsertString(DCM_InstitutionName, "Klinikum Nord");
  released.putAndInsertString(DcmTagKey(0x0009, 0x0010), "X");
  const std::string latin1 = utf8_to_latin1("tech note: MÜLLER");
  auto* un = new DcmOtherByteOtherWord(DcmTag(0x0009, 0x1001, EVR_UN));
  un->putUint8Array(reinterpret_cast<const Uint8*>(latin1.data()), static_cast<unsigned long>(latin1.size()));
  released.insert(un, true);
  released.putAndInsertString(DCM_ContentDate, "20190304");
  auto findings = scan(released, &source);
  EXPECT_NE(find(findings, "source-value", "(0020,4000) ImageComments"), nullptr);
  EXPECT_NE(find(findings, "source-value", "(0009,1001)"), nullptr);
  EXPECT_NE(find(findings, "source-value", "(0008,0080) InstitutionName"), nullptr);
  EXPECT_NE(find(findings, "source-date", "(0008,0023) ContentDate"), nullptr);
  EXPECT_NE(find(findings, "source-uid", "(0008,0018) SOPInstanceUID"), nullptr);

  // The file declares institution identity and full dates retained (CID 7050): not findings.
  DcmItem* code = nullptr;
  released.findOrCreateSequenceItem(DCM_DeidentificationMethodCodeSequence, code, -2);
  code->putAndInsertString(DCM_CodeValue, "113112");
  released.findOrCreateSequenceItem(DCM_DeidentificationMethodCodeSequence, code, -2);
  code->putAndInsertString(DCM_CodeValue, "113106");
  findings = scan(released, &source);
  EXPECT_EQ(find(findings, "source-value", "(0008,0080) InstitutionName"), nullptr);
  EXPECT_EQ(find(findings, "source-date"), nullptr);
  EXPECT_NE(find(findings, "source-value", "(0020,4000) ImageComments"), nullptr);
}

// Equipment vocabulary (attributes the profile keeps as they are) holds part numbers, versions and
// parameters: ID- and phone-shaped numbers there are medium, a name there is high as anywhere. A
// coding scheme's responsible organisation has its postal address as it is.
TEST(HeaderScan, NumbersInEquipmentVocabularyAreMediumAndAnOrganisationsAddressIsNoFinding) {
  DcmDataset ds = deidentified_looking();
  ds.putAndInsertString(DCM_ManufacturerModelName, "Cassette Holder Type 9840 500 70201");
  ds.putAndInsertString(DCM_ProcessingFunction, "6000,17133,10625,11622");
  ds.putAndInsertString(DCM_SoftwareVersions, "CX50_210\\453561454581__PRINTERS.06.708");
  ds.putAndInsertString(DCM_Manufacturer, "Installed by Dr. Okafor");
  DcmItem* scheme = nullptr;
  ds.findOrCreateSequenceItem(DCM_CodingSchemeIdentificationSequence, scheme, -2);
  scheme->putAndInsertString(DCM_CodingSchemeResponsibleOrganization,
                             "Kuratorium OFFIS e.V., Escherweg 2, 26121 Oldenburg, Germany");
  const auto findings = scan(ds);
  for (const char* where : {"(0008,1090)", "(0018,5020)", "(0018,1020)"}) {
    bool found = false;
    for (const auto& f : findings)
      if (f.location.find(where) != std::string::npos) {
        found = true;
        EXPECT_TRUE(f.kind == "id-in-text" || f.kind == "phone") << f.kind << " at " << f.location;
        EXPECT_EQ(f.severity, Severity::Medium) << f.kind << " at " << f.location;
      }
    EXPECT_TRUE(found) << where;
  }
  const Finding* name = find(findings, "person-name", "(0008,0070) Manufacturer");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->severity, Severity::High);
  for (const auto& f : findings) EXPECT_EQ(f.location.find("(0008,0116)"), std::string::npos) << f.kind;
  // The same address in free text is an address.
  ds.putAndInsertString(DCM_ImageComments, "sent to Escherweg 2, 26121 Oldenburg");
  EXPECT_NE(find(scan(ds), "address", "(0020,4000)"), nullptr);
}

// An institution or device value of the original that its own Manufacturer or Model Name
// contains is the vendor's name (vendor sample data: Institution Name "TOSHIBA" beside
// Manufacturer "TOSHIBA_MEC"), not the site's; any other institution or device value is looked for
// everywhere, Manufacturer included.
TEST(HeaderScan, AnInstitutionThatIsTheVendorsNameIsNotTheSitesIdentity) {
  test::TempDir dir;
  const auto write = [&](const char* name, const char* institution, const char* manufacturer, const char* sop) {
    DcmFileFormat original;
    DcmDataset& o = *original.getDataset();
    o.putAndInsertString(DCM_PatientName, "Achterberg^Wim");
    o.putAndInsertString(DCM_InstitutionName, institution);
    o.putAndInsertString(DCM_StationName, "CTROOM7");
    o.putAndInsertString(DCM_Manufacturer, manufacturer);
    o.putAndInsertString(DCM_SOPInstanceUID, sop);
    o.putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
    ASSERT_TRUE(original.saveFile(OFFilename((dir.path() / name).c_str()), EXS_LittleEndianExplicit).good());
  };
  write("vendor.dcm", "TOSHIBA", "TOSHIBA_MEC", "1.2.826.0.1.3680043.10.99.51");
  write("site.dcm", "St Marys Hospital", "SIEMENS", "1.2.826.0.1.3680043.10.99.52");
  const SourceIndex source(dir.path(), std::nullopt);
  DcmDataset vendor = deidentified_looking();
  vendor.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.51");  // paired by UID
  vendor.putAndInsertString(DCM_Manufacturer, "TOSHIBA_MEC");
  vendor.putAndInsertString(DCM_StudyDescription, "CTROOM7 protocol");
  auto findings = scan(vendor, &source);
  EXPECT_EQ(find(findings, "source-value", "(0008,0070)"), nullptr);
  EXPECT_NE(find(findings, "source-value", "(0008,1030) StudyDescription"), nullptr);  // the station still is
  DcmDataset site = deidentified_looking();
  site.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.52");
  site.putAndInsertString(DCM_Manufacturer, "SIEMENS for St Marys Hospital");
  findings = scan(site, &source);
  const Finding* leak = find(findings, "source-value", "(0008,0070) Manufacturer");
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(leak->severity, Severity::High);
}

}  // namespace
}  // namespace radveil::scan
