// The node's spool: an instance is kept once, whatever is sent again; what is not a usable
// instance is refused by name; a study every route finished leaves the spool, and the same
// instances sent again are acknowledged without being processed a second time.
#include "net/spool.h"

#include <gtest/gtest.h>

#include <fstream>

#include "dicom/instance_file.h"
#include "support/dataset_builder.h"
#include "support/test_support.h"

namespace radveil::net {
namespace {

namespace fs = std::filesystem;

pseudonym::SecretKey key() {
  std::array<std::uint8_t, pseudonym::SecretKey::kBytes> bytes{};
  bytes.fill(7);
  return pseudonym::SecretKey::from_bytes(bytes);
}

// A received file as intake writes it: a Part 10 file with the given UIDs.
fs::path received(Spool& spool, const std::string& study, const std::string& instance) {
  auto ds = std::make_unique<DcmDataset>();
  test::put_value(*ds, DCM_SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
  test::put_value(*ds, DCM_SOPInstanceUID, instance);
  test::put_value(*ds, DCM_StudyInstanceUID, study);
  test::put_value(*ds, DCM_PatientID, "SPOOL1");
  const fs::path file = spool.incoming_file();
  dicom::write_file(std::move(ds), EXS_LittleEndianExplicit, file);
  return file;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

TEST(Spool, AnInstanceSentTwiceIsKeptOnce) {
  test::TempDir dir;
  Spool spool(dir.path(), key());
  const std::string a = spool.admit(received(spool, "1.2.3", "1.2.3.4"));
  EXPECT_EQ(spool.admit(received(spool, "1.2.3", "1.2.3.4")), a);
  EXPECT_EQ(files_in(spool.study_folder(a)), 1u);
  EXPECT_EQ(files_in(dir.path() / "incoming"), 0u);
}

TEST(Spool, WhatIsNotAUsableInstanceIsRefusedAndNotKept) {
  test::TempDir dir;
  Spool spool(dir.path(), key());
  EXPECT_THROW(spool.admit(received(spool, "1.2.3", "1.2." + std::string(70, '3'))), SpoolError) << "longer than 64";
  EXPECT_THROW(spool.admit(received(spool, "1.2..3", "1.2.3.4")), SpoolError) << "an empty component";
  EXPECT_THROW(spool.admit(received(spool, "1.2.3", "1.2.3.x")), SpoolError) << "not digits";
  const fs::path garbage = spool.incoming_file();
  std::ofstream(garbage) << "not DICOM";
  EXPECT_THROW(spool.admit(garbage), SpoolError);
  EXPECT_TRUE(spool.studies().empty());
  EXPECT_EQ(files_in(dir.path() / "incoming"), 0u);
}

TEST(Spool, ARetiredStudyLeavesAndItsInstancesAreNotKeptAgain) {
  test::TempDir dir;
  Spool spool(dir.path(), key());
  const std::string s = spool.admit(received(spool, "1.2.3", "1.2.3.4"));
  spool.admit(received(spool, "1.2.3", "1.2.3.5"));
  const auto seen = spool.last_arrival(s);
  ASSERT_TRUE(seen);
  EXPECT_TRUE(spool.retire(s, *seen));
  EXPECT_TRUE(spool.studies().empty());
  EXPECT_FALSE(fs::exists(spool.study_folder(s)));
  // Sent again (a sender retrying, the study sent twice): acknowledged, not kept.
  EXPECT_EQ(spool.admit(received(spool, "1.2.3", "1.2.3.4")), s);
  EXPECT_TRUE(spool.studies().empty());
  // A new instance of the same study is a follow-up: kept.
  spool.admit(received(spool, "1.2.3", "1.2.3.6"));
  ASSERT_EQ(spool.studies().size(), 1u);
  EXPECT_EQ(spool.studies()[0].instances, 1u);
}

TEST(Spool, AStudyWithAnArrivalSinceTheRoutesLookedIsNotRetired) {
  test::TempDir dir;
  Spool spool(dir.path(), key());
  const std::string s = spool.admit(received(spool, "1.2.3", "1.2.3.4"));
  const auto seen = spool.last_arrival(s);
  ASSERT_TRUE(seen);
  fs::last_write_time(spool.study_folder(s), *seen + std::chrono::seconds(1));  // as an arrival would
  EXPECT_FALSE(spool.retire(s, *seen));
  EXPECT_EQ(files_in(spool.study_folder(s)), 1u);
}

TEST(Spool, IntakeStopsBelowTheFreeSpaceThreshold) {
  test::TempDir dir;
  EXPECT_TRUE(Spool(dir.path(), key(), 0).has_room());
  Spool greedy(dir.path(), key(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_FALSE(greedy.has_room());
  EXPECT_GT(greedy.free_bytes(), 0u);
}

}  // namespace
}  // namespace radveil::net
