#include <gtest/gtest.h>

#include "dicom/instance_file.h"
#include "pipeline/instance_pipeline.h"
#include "support/test_support.h"

using namespace radveil;

namespace {

std::filesystem::path write_ct(const std::filesystem::path& file) {
  auto ds = std::make_unique<DcmDataset>();
  ds->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.1");
  ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.99.2");
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.99.3");
  ds->putAndInsertString(DCM_Modality, "CT");
  ds->putAndInsertString(DCM_PatientName, "DOE^JOHN");
  dicom::write_atomically(std::move(ds), EXS_LittleEndianExplicit, file);
  return file;
}

struct Fixture {
  test::TempDir dir;
  std::array<std::uint8_t, 32> bytes{};
  pseudonym::Pseudonymizer pseudo{pseudonym::SecretKey::from_bytes(bytes)};
  profile::OptionSet options;
  pipeline::InstancePipeline pipeline{options, pseudo, dir / "staging"};
  Fixture() { std::filesystem::create_directories(dir / "staging"); }
};

}  // namespace

TEST(InstancePipeline, StagesTheOutputUnderItsPseudonymousPath) {
  Fixture f;
  const auto input = write_ct(f.dir / "in.dcm");
  const auto sig = pipeline::stat_input(input).signature;
  ASSERT_TRUE(sig);
  const auto outcome = f.pipeline.process(input, *sig);
  ASSERT_EQ(outcome.kind, pipeline::OutcomeKind::Deidentified) << outcome.reason << " " << outcome.detail;
  EXPECT_TRUE(std::filesystem::exists(outcome.staged));
  EXPECT_EQ(outcome.staged.parent_path(), f.dir / "staging");
  EXPECT_EQ(std::distance(outcome.output.begin(), outcome.output.end()), 4);
  EXPECT_EQ(outcome.output.string().find("DOE"), std::string::npos);
}

TEST(InstancePipeline, AnInputThatChangedSinceItWasSeenIsQuarantinedAndNothingIsStaged) {
  Fixture f;
  const auto input = write_ct(f.dir / "in.dcm");
  auto sig = pipeline::stat_input(input).signature;
  ASSERT_TRUE(sig);
  sig->mtime_ns -= 1000;  // as if the file had been rewritten after it was first looked at
  const auto outcome = f.pipeline.process(input, *sig);
  EXPECT_EQ(outcome.kind, pipeline::OutcomeKind::Quarantined);
  EXPECT_EQ(outcome.reason, "input-changed");
  EXPECT_TRUE(std::filesystem::is_empty(f.dir / "staging"));
}
