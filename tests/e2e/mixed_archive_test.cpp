// bench/run's mixed archive in small: `synth --mr-syntax jpeg-ls --us-frames N` writes what it
// says, and a header-only `deid` of it writes every CT, MIP, SR and JPEG-LS MR instance in its own
// syntax (the CT's Pixel Data copied by range, bytes as DCMTK writes them) and quarantines the
// ultrasound.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dctk.h>

#include <map>
#include <string>

#include "dicom/instance_file.h"
#include "dicom/output_file.h"
#include "dicom/values.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

// Modality -> transfer syntaxes seen, over every DICOM file below `folder`.
std::map<std::string, std::map<E_TransferSyntax, int>> syntaxes_by_modality(const std::filesystem::path& folder) {
  std::map<std::string, std::map<E_TransferSyntax, int>> seen;
  for (const auto& e : std::filesystem::recursive_directory_iterator(folder)) {
    if (!e.is_regular_file() || e.path().filename().string().rfind("README", 0) == 0) continue;
    DcmFileFormat format;
    if (format.loadFile(OFFilename(e.path().c_str()), EXS_Unknown, EGL_noChange, 4096).bad()) continue;
    ++seen[dicom::get_string(*format.getDataset(), DCM_Modality)][format.getDataset()->getOriginalXfer()];
  }
  return seen;
}

TEST(MixedArchive, SynthWritesJpegLsMrAndACineLoopAndDeidKeepsEachSyntax) {
  TempDir dir;
  const auto synth = dir / "s";
  ASSERT_EQ(run_radveil("synth " + synth.string() +
                        " --patients 2 --slices 4 --rows 64 --syntaxes explicit,big-endian --mr-syntax jpeg-ls"
                        " --mr-rows 80 --us-frames 3")
                .exit_code,
            0);
  auto in = syntaxes_by_modality(synth / "archive");
  EXPECT_EQ(in["MR"][EXS_JPEGLSLossless], 4);  // 2 patients x 2 slices
  EXPECT_EQ(in["CT"][EXS_LittleEndianExplicit] + in["CT"][EXS_BigEndianExplicit] + in["CT"][EXS_LittleEndianImplicit],
            10);  // 2 x (4 slices + a MIP); one slice a bare dataset
  EXPECT_GT(in["CT"][EXS_BigEndianExplicit], 0);
  for (const auto& e : std::filesystem::recursive_directory_iterator(synth / "archive")) {
    if (e.path().parent_path().filename().string().rfind("US_", 0) != 0) continue;
    DcmFileFormat format;
    ASSERT_TRUE(format.loadFile(OFFilename(e.path().c_str())).good());
    EXPECT_EQ(dicom::get_string(*format.getDataset(), DCM_NumberOfFrames), "3");
    EXPECT_EQ(std::filesystem::file_size(e.path()) > 3u * 320 * 240, true);
  }

  const std::string key = (dir / "k.key").string();
  ASSERT_EQ(run_radveil("key new " + key).exit_code, 0);
  const auto out = dir / "out";
  const auto r = run_radveil("deid " + (synth / "archive").string() + " " + out.string() + " --key " + key +
                             " --quarantine " + (dir / "q").string() + " --option retain-long-modified-dates");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto written = syntaxes_by_modality(out);
  EXPECT_EQ(written["MR"][EXS_JPEGLSLossless], 4);
  int sr = 0;
  for (const auto& [xfer, n] : written["SR"]) sr += n;
  EXPECT_EQ(sr, 2);
  EXPECT_EQ(written.count("US"), 0u);  // text burned in: quarantined
  // Each output CT's bytes are what DCMTK writes for the instance as read.
  int compared = 0, by_range = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(out)) {
    if (!e.is_regular_file() || e.path().extension() != ".dcm") continue;
    dicom::LoadedInstance loaded = dicom::load_lazy(e.path());
    if (dicom::get_string(*loaded.dataset, DCM_Modality) != "CT") continue;
    const auto again = dir / "again.dcm";
    const auto copy = dicom::write_file(std::move(loaded.dataset), loaded.transfer_syntax, again);
    DcmFileFormat reference;
    ASSERT_TRUE(reference.loadFile(OFFilename(e.path().c_str()), EXS_Unknown, EGL_noChange, 4096).good());
    const auto ref_file = dir / "reference.dcm";
    dicom::write_file(std::unique_ptr<DcmDataset>(reference.getAndRemoveDataset()), loaded.transfer_syntax, ref_file,
                      dicom::Writer::DcmtkSaveFile);
    by_range += copy == dicom::PixelDataCopy::ByRange;
    EXPECT_TRUE(read_file(again) == read_file(ref_file)) << e.path();
    EXPECT_TRUE(read_file(again) == read_file(e.path())) << e.path();  // writing it again changes nothing
    ++compared;
  }
  EXPECT_EQ(compared, 10);
  EXPECT_EQ(by_range, 8);  // the slices; a MIP's 16x16 Pixel Data is small enough to be read
}

}  // namespace
}  // namespace radveil::test
