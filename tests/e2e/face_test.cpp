// Clean Recognizable Visual Features through the CLI: the corpus heads (1 mm MR, coarse CT) come
// out with their faces gone by every check, their brains untouched; deface-check agrees; series
// that are not heads pass through with their pixels unchanged.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dctk.h>

#include <cstring>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;

// Renders are kept for people to look at: build/test-artifacts/face/...
fs::path artifacts_dir(const std::string& name) {
  const fs::path dir = fs::path(RADVEIL_BINARY).parent_path() / "test-artifacts" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<fs::path> dicom_files(const fs::path& root) {
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() == ".radveil") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".dcm") out.push_back(it->path());
  }
  return out;
}

class FaceRemoval : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(run_radveil("key new " + key).exit_code, 0); }
  TempDir dir;
  std::string key = (dir / "k.key").string();
};

TEST_F(FaceRemoval, CorpusHeadsAreDefacedVerifiedAndTheirBrainsUntouched) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  const fs::path heads = *corpus / "heads", out = dir / "out", report = dir / "r.json";
  const fs::path renders = artifacts_dir("face");
  const auto run = run_radveil("deid " + heads.string() + " " + out.string() + " --key " + key + " --quarantine " +
                               (dir / "q").string() + " --report " + report.string() +
                               " --option clean-recognizable-visual-features --face-report " + renders.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto r = nlohmann::json::parse(std::ifstream(report));
  EXPECT_EQ(r["counts"]["deidentified"], 256 + 93) << run.output;
  EXPECT_EQ(r["counts"]["quarantined"], 0);
  EXPECT_EQ(r["run"]["face_removal"]["series_defaced"], 2);

  std::set<std::string> modalities;
  for (const auto& series : fs::directory_iterator(renders)) {
    const auto j = nlohmann::json::parse(std::ifstream(series.path() / "face.json"));
    const std::string modality = j["modality"];
    modalities.insert(modality);
    SCOPED_TRACE(modality);
    EXPECT_EQ(j["outcome"], "defaced") << j.dump();
    // The check is trusted: it sees the face on the original (detectors, or the nose).
    EXPECT_TRUE(j["before"]["face_present"].get<bool>() || j["before"]["nose_present"].get<bool>());
    EXPECT_GE(j["before"]["views_with_detection"].get<int>(), 3) << "the original's face is seen from several views";
    EXPECT_FALSE(j["after"]["face_remains"].get<bool>());
    EXPECT_FALSE(j["after"]["nose_present"].get<bool>());
    EXPECT_EQ(j["brain_voxels_changed"], 0);
    EXPECT_GT(j["tissue_voxels_removed"].get<long>(), 1000);
    EXPECT_TRUE(fs::exists(series.path() / "before-00.png"));
    EXPECT_TRUE(fs::exists(series.path() / "after-00.png"));
    std::printf("%s: %d/%d views with a face before, %d after; nose %.1f -> %.1f mm; %.2f s\n", modality.c_str(),
                j["before"]["views_with_detection"].get<int>(), 9, j["after"]["views_with_detection"].get<int>(),
                j["before"]["nose_protrusion_mm"].get<double>(), j["after"]["nose_protrusion_mm"].get<double>(),
                j["seconds"].get<double>());
  }
  EXPECT_EQ(modalities, (std::set<std::string>{"CT", "MR"}));

  // Every output instance says what was done.
  for (const auto& file : dicom_files(out)) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(OFFilename(file.c_str()), EXS_Unknown, EGL_noChange, 256).good());
    OFString rvf;
    ff.getDataset()->findAndGetOFString(DCM_RecognizableVisualFeatures, rvf);
    EXPECT_EQ(rvf, "NO");
    bool coded = false;
    DcmItem* item = nullptr;
    for (int i = 0; ff.getDataset()->findAndGetSequenceItem(DCM_DeidentificationMethodCodeSequence, item, i).good(); ++i) {
      OFString code;
      item->findAndGetOFString(DCM_CodeValue, code);
      coded = coded || code == "113102";
    }
    EXPECT_TRUE(coded) << file;
  }

  // An independent look at what was written: the output shows no face, the originals do.
  const auto check_out = run_radveil("deface-check " + out.string() + " --out " + (renders / "check-output").string());
  EXPECT_EQ(check_out.exit_code, 0) << check_out.output;
  const auto check_in = run_radveil("deface-check " + heads.string() + " --out " + (dir / "check-input").string());
  EXPECT_EQ(check_in.exit_code, 3) << check_in.output;
}

TEST_F(FaceRemoval, FaceAndEarsModeRemovesBothOuterEarsAndLeavesTheBrain) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  const fs::path mr = *corpus / "heads" / "mne-sample-t1-mr", out = dir / "out";
  const fs::path renders = artifacts_dir("face-and-ears");
  const std::string common = " --key " + key + " --quarantine " + (dir / "q").string() + " --face-mode face-and-ears";
  const auto refused = run_radveil("deid " + mr.string() + " " + out.string() + common);
  EXPECT_EQ(refused.exit_code, 2) << "--face-mode without the option is a usage error: " << refused.output;
  const auto run = run_radveil("deid " + mr.string() + " " + out.string() + common +
                               " --option clean-recognizable-visual-features --face-report " + renders.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto series = fs::directory_iterator(renders)->path();
  const auto j = nlohmann::json::parse(std::ifstream(series / "face.json"));
  EXPECT_EQ(j["outcome"], "defaced") << j.dump();
  EXPECT_EQ(j["brain_voxels_changed"], 0);
  for (const char* side : {"left", "right"}) {
    SCOPED_TRACE(side);
    const auto& ear = j["ears"][side];
    ASSERT_TRUE(ear["found"].get<bool>()) << j["ears"].dump();
    EXPECT_GE(ear["protrusion_mm"].get<double>(), 5.0);
    EXPECT_GT(ear["tissue_voxels_removed"].get<long>(), 1000);
    EXPECT_LT(ear["residue_after"]["area_mm2"].get<double>(), 250.0);
  }
}

TEST_F(FaceRemoval, SeriesThatAreNotHeadsPassThroughWithTheirPixelsUnchanged) {
  // Synthetic CT and MR of a body (no face), and single-slice corpus CT/MR if present.
  ASSERT_EQ(run_radveil("synth " + (dir / "s").string() + " --patients 1 --slices 24 --rows 96").exit_code, 0);
  const fs::path in = dir / "s" / "archive";
  if (const auto corpus = corpus_dir()) {
    fs::copy_file(*corpus / "pydicom" / "CT_small.dcm", in / "CT_small.dcm");
    fs::copy_file(*corpus / "pydicom" / "MR_small.dcm", in / "MR_small.dcm");
  }
  const fs::path with = dir / "with", without = dir / "without";
  const std::string base = " --key " + key;
  ASSERT_EQ(run_radveil("deid " + in.string() + " " + with.string() + base + " --quarantine " + (dir / "q1").string() +
                        " --option clean-recognizable-visual-features").exit_code, 0);
  ASSERT_EQ(run_radveil("deid " + in.string() + " " + without.string() + base + " --quarantine " + (dir / "q2").string())
                .exit_code, 0);
  const auto a = dicom_files(with), b = dicom_files(without);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 30u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    DcmFileFormat fa, fb;
    ASSERT_TRUE(fa.loadFile(OFFilename(a[i].c_str())).good());
    ASSERT_TRUE(fb.loadFile(OFFilename(b[i].c_str())).good());
    DcmElement *pa = nullptr, *pb = nullptr;
    if (fa.getDataset()->findAndGetElement(DCM_PixelData, pa).bad()) continue;
    ASSERT_TRUE(fb.getDataset()->findAndGetElement(DCM_PixelData, pb).good());
    Uint8 *da = nullptr, *db = nullptr;
    pa->getUint8Array(da);
    pb->getUint8Array(db);
    ASSERT_EQ(pa->getLength(), pb->getLength());
    EXPECT_EQ(0, std::memcmp(da, db, pa->getLength())) << "pixels changed in " << a[i];
  }
}

}  // namespace
}  // namespace radveil::test
