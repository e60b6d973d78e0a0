#include <gtest/gtest.h>

#include "core/version.h"
#include "dicom/instance_file.h"
#include "dicom/sniff.h"
#include "dicom/values.h"
#include <fstream>

#include "support/test_support.h"

using namespace radveil;

namespace {
std::unique_ptr<DcmDataset> small_ct() {
  auto ds = std::make_unique<DcmDataset>();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "2.25.1234");
  ds->putAndInsertString(DCM_PatientID, "X");
  return ds;
}
}  // namespace

TEST(InstanceFile, WritesZeroPreambleAndRadveilsOwnFileMetaAtomically) {
  test::TempDir dir;
  const auto target = dir / "a" / "b.dcm";
  ASSERT_EQ(dicom::write_atomically(small_ct(), EXS_LittleEndianExplicit, target), dicom::WriteResult::Written);
  const std::string bytes = test::read_file(target);
  EXPECT_EQ(bytes.substr(0, 128), std::string(128, '\0'));
  EXPECT_EQ(bytes.substr(128, 4), "DICM");
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(OFFilename(target.c_str())).good());
  EXPECT_EQ(dicom::get_string(*ff.getMetaInfo(), DCM_ImplementationClassUID), kImplementationClassUid);
  EXPECT_EQ(dicom::get_string(*ff.getMetaInfo(), DCM_MediaStorageSOPInstanceUID), "2.25.1234");
  EXPECT_TRUE(ff.getMetaInfo()->tagExists(DCM_FileMetaInformationGroupLength));
  EXPECT_FALSE(ff.getMetaInfo()->tagExists(DCM_SourceApplicationEntityTitle));
  // Nothing but the target is left in the folder.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(target.parent_path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(InstanceFile, NeverReplacesAnExistingOutput) {
  test::TempDir dir;
  const auto target = dir / "x.dcm";
  dicom::write_atomically(small_ct(), EXS_LittleEndianExplicit, target);
  const std::string before = test::read_file(target);
  auto other = small_ct();
  other->putAndInsertString(DCM_PatientID, "Y");
  EXPECT_EQ(dicom::write_atomically(std::move(other), EXS_LittleEndianExplicit, target),
            dicom::WriteResult::AlreadyExists);
  EXPECT_EQ(test::read_file(target), before);
}

TEST(Sniff, RecognisesPart10BareDatasetsAndEverythingElse) {
  test::TempDir dir;
  const auto part10 = dir / "p10";
  dicom::write_atomically(small_ct(), EXS_LittleEndianExplicit, part10);
  EXPECT_EQ(dicom::sniff(part10), dicom::Sniffed::Part10);
  const auto bare = dir / "bare";
  small_ct()->saveFile(OFFilename(bare.c_str()), EXS_LittleEndianImplicit);
  EXPECT_EQ(dicom::sniff(bare), dicom::Sniffed::BareDataset);
  const auto text = dir / "notes.txt";
  std::ofstream(text) << "Patient John Doe, MRN 123\n";
  EXPECT_EQ(dicom::sniff(text), dicom::Sniffed::NotDicom);
  EXPECT_EQ(dicom::sniff(dir / "missing"), dicom::Sniffed::Unreadable);
}
