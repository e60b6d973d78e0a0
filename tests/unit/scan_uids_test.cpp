// `scan --against` and UIDs: a UID that names a coding scheme, a template's mapping resource, a
// class or an implementation is the same in every report a tool makes and identifies nobody; a
// UID of the original's instances, study, series and what they reference is a finding wherever
// it is kept. Checked on structured reports shaped like DCMTK's (its private coding scheme in
// every code, as in pydicom's test-SR.dcm), highdicom's, dcmqi's and a pydicom script's.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dctk.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "deid/header_deidentifier.h"
#include "dicom/values.h"
#include "pseudonym/pseudonymizer.h"
#include "scan/header_scan.h"
#include "scan/uid_knowledge.h"
#include "support/dataset_builder.h"
#include "support/structured_reports.h"
#include "support/test_support.h"

namespace radveil::scan {
namespace {

std::vector<Finding> scan(DcmFileFormat& file, const SourceIndex& source) {
  return scan_header({file.getMetaInfo(), file.getDataset(), {}, &source, nullptr});
}

std::vector<std::string> locations_of(const std::vector<Finding>& findings, const std::string& kind) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    if (f.kind == kind) out.push_back(f.location);
  return out;
}

bool any_contains(const std::vector<std::string>& locations, const std::string& part) {
  return std::any_of(locations.begin(), locations.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

std::string dump(const std::vector<std::string>& locations) {
  std::string out;
  for (const auto& l : locations) out += "\n  " + l;
  return out;
}

TEST(ScanUids, WellKnownUidsAreTheDicomRootAndThoseDcmtkNames) {
  EXPECT_TRUE(is_well_known_uid("1.2.840.10008.2.16.4"));    // DICOM Controlled Terminology
  EXPECT_TRUE(is_well_known_uid("1.2.840.10008.5.1.4.1.1.88.33"));
  EXPECT_FALSE(is_well_known_uid("1.2.276.0.7230010.3.0.0.1"));  // DCMTK's scheme: known by where it is
  EXPECT_FALSE(is_well_known_uid("1.2.826.0.1.3680043.8.498.12345"));
  // The profile keeps class, scheme, syntax and implementation UIDs and replaces the rest.
  EXPECT_TRUE(profile_keeps_uid(0x0008, 0x010C));   // Coding Scheme UID
  EXPECT_TRUE(profile_keeps_uid(0x0008, 0x0118));   // Mapping Resource UID
  EXPECT_TRUE(profile_keeps_uid(0x0008, 0x1150));   // Referenced SOP Class UID
  EXPECT_TRUE(profile_keeps_uid(0x0002, 0x0012));   // Implementation Class UID
  EXPECT_FALSE(profile_keeps_uid(0x0008, 0x0018));  // SOP Instance UID
  EXPECT_FALSE(profile_keeps_uid(0x0040, 0xA124));  // UID (an SR's UIDREF)
  EXPECT_FALSE(profile_keeps_uid(0x0008, 0x0014));  // Instance Creator UID
  EXPECT_FALSE(profile_keeps_uid(0x0072, 0x0FFE));  // not in the table nor a class: replaced
  EXPECT_FALSE(profile_keeps_uid(0x0011, 0x1010));  // private
  // UIDs in text: four components and ten characters at least; versions and decimals are not.
  const auto found = uids_in_text("see 1.2.826.0.1.3680043.8.498.42, DCMTK 3.6.7, 0.488 mm, 1.2.3.4");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], "1.2.826.0.1.3680043.8.498.42");
}

// Each report scanned against itself, every UID kept (a tool that keeps UIDs): every UID of its
// instances is a source-uid finding, and no UID that names a kind of thing is.
TEST(ScanUids, EveryGeneratorsKindUidsAreNotSourceUidsAndItsInstanceUidsAre) {
  test::TempDir dir;
  auto reports = test::reports_from_generators(3);
  test::write_reports(reports, dir.path());
  const SourceIndex source(dir.path(), std::nullopt);
  ASSERT_EQ(source.instances(), reports.size());
  for (auto& r : reports) {
    SCOPED_TRACE(r.generator);
    for (const auto& uid : r.kind_uids) {
      EXPECT_FALSE(source.is_source_uid(uid)) << uid;
      EXPECT_TRUE(source.names_class(uid)) << uid;
    }
    for (const auto& uid : r.instance_uids) EXPECT_TRUE(source.is_source_uid(uid)) << uid;
    DcmFileFormat kept;
    ASSERT_TRUE(kept.loadFile(OFFilename((dir.path() / (r.generator + ".dcm")).c_str())).good());
    const auto at = locations_of(scan(kept, source), "source-uid");
    EXPECT_TRUE(any_contains(at, "(0008,0018) SOPInstanceUID")) << dump(at);
    EXPECT_TRUE(any_contains(at, "(0020,000D) StudyInstanceUID")) << dump(at);
    // Coding Scheme UID, Mapping Resource UID, Referenced SOP Class UID, SOP Class UID, and the
    // File Meta's class, transfer syntax and implementation UIDs.
    for (const char* kind_attribute : {"(0008,010C)", "(0008,0118)", "(0008,1150)", "(0008,0016)", "(0002,0002)",
                                       "(0002,0010)", "(0002,0012)"})
      EXPECT_FALSE(any_contains(at, kind_attribute)) << kind_attribute << dump(at);
    if (r.generator != "pydicom") EXPECT_TRUE(any_contains(at, "(0040,A124) UID")) << dump(at);  // tracking UIDs
    else EXPECT_TRUE(any_contains(at, "(0011,1010) private [LABSCRIPT 1]")) << dump(at);
  }
}

// Each report as radveil's header de-identification leaves it: its scheme, template and class
// UIDs kept, every instance UID replaced: no source-uid. Then the original's UIDs put back where
// a careless tool would leave them: each is high.
TEST(ScanUids, DeidentifiedReportsHaveNoSourceUidAndPlantedOriginalUidsAreHigh) {
  test::TempDir dir;
  auto reports = test::reports_from_generators(5);
  test::write_reports(reports, dir.path() / "original");
  test::write_fixed_key(dir.path() / "k", 28);
  const auto key = pseudonym::SecretKey::load_file(dir.path() / "k");
  const pseudonym::Pseudonymizer pseudonyms(key);
  const SourceIndex source(dir.path() / "original", key);
  const profile::OptionSet basic;
  for (auto& r : reports) {
    SCOPED_TRACE(r.generator);
    DcmFileFormat released;
    ASSERT_TRUE(released.loadFile(OFFilename((dir.path() / "original" / (r.generator + ".dcm")).c_str())).good());
    DcmDataset& ds = *released.getDataset();
    deid::HeaderDeidentifier(basic, pseudonyms).apply(ds);
    released.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID, dicom::get_string(ds, DCM_SOPInstanceUID).c_str());
    auto findings = scan(released, source);
    EXPECT_TRUE(locations_of(findings, "source-uid").empty()) << dump(locations_of(findings, "source-uid"));
    // The report's kind UIDs are still there: kept, as the profile keeps them.
    const std::string bytes = [&] {
      std::ostringstream s;
      ds.print(s);
      return s.str();
    }();
    for (const auto& uid : r.kind_uids) EXPECT_NE(bytes.find(uid), std::string::npos) << uid;

    // Planted: the original's SOP Instance UID and Study Instance UID where the profile replaces
    // them, in a private and an unknown attribute, in an unknown value's bytes, in free text, and
    // where a coding scheme's UID belongs.
    const std::string sop = r.instance_uids[0], study = r.instance_uids[1];
    DcmItem& referenced = test::append_item(ds, DCM_ReferencedImageSequence);
    referenced.putAndInsertString(DCM_ReferencedSOPClassUID, UID_CTImageStorage);
    referenced.putAndInsertString(DCM_ReferencedSOPInstanceUID, sop.c_str());
    ds.putAndInsertString(DcmTagKey(0x0009, 0x0010), "CARELESS TOOL");
    dicom::put_private(ds, DcmTagKey(0x0009, 0x1001), EVR_UI, "CARELESS TOOL", sop);
    ASSERT_EQ(DcmTag(0x0072, 0x0FFE).getTagName(), std::string("Unknown Tag & Data"));
    auto* unknown = new DcmUniqueIdentifier(DcmTag(0x0072, 0x0FFE, EVR_UI));
    unknown->putString(study.c_str());
    ds.insert(unknown, true);
    auto* un = new DcmOtherByteOtherWord(DcmTag(0x0072, 0x0FFC, EVR_UN));
    un->putUint8Array(reinterpret_cast<const Uint8*>(sop.data()), static_cast<unsigned long>(sop.size()));
    ds.insert(un, true);
    ds.putAndInsertString(DCM_ImageComments, ("copied from " + study + " by hand").c_str());
    DcmItem& scheme = test::append_item(ds, DCM_CodingSchemeIdentificationSequence);
    scheme.putAndInsertString(DCM_CodingSchemeDesignator, "99X");
    scheme.putAndInsertString(DCM_CodingSchemeUID, sop.c_str());
    findings = scan(released, source);
    const auto at = locations_of(findings, "source-uid");
    for (const char* where : {"(0008,1140)[1]/(0008,1155) ReferencedSOPInstanceUID", "(0009,1001) private [CARELESS TOOL]",
                              "(0072,0FFE)", "(0072,0FFC)", "(0020,4000) ImageComments", "/(0008,010C) CodingSchemeUID"})
      EXPECT_TRUE(any_contains(at, where)) << where << dump(at);
    for (const auto& f : findings)
      if (f.kind == "source-uid") {
        EXPECT_EQ(f.severity, Severity::High);
        EXPECT_EQ(f.excerpt.find(sop.substr(5)), std::string::npos) << "the report shows the UID";
      }
  }
}

}  // namespace
}  // namespace radveil::scan
