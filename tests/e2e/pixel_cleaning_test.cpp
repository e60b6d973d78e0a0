// `radveil deid --option clean-pixel-data` end to end: ultrasound frames with text burned into
// their pixels (synthetic, and the corpus' real ones) come out with the text gone, marked 113101
// and Burned In Annotation NO, with review images and per-instance box counts in the report.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>

#include "deid/identifying_values.h"
#include "dicom/instance_file.h"
#include "dicom/values.h"
#include "pixels/pixel_frames.h"
#include "pixels/text_reader.h"
#include "support/report_checks.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;

const pixels::TextReader& reader() {
  static const pixels::TextReader kReader;
  return kReader;
}

// Everything OCR reads in every rendering of every frame of a file: Tesseract's own lines and the
// frame (or its `band_area`) in horizontal bands, so nothing depends on the cleaner's own boxes.
std::string everything_read(const fs::path& file, std::uint32_t max_frames = 1000,
                            std::optional<cv::Rect> band_area = std::nullopt) {
  auto loaded = dicom::load_complete(file);
  pixels::PixelFrames frames(*loaded.dataset);
  std::string all;
  for (std::uint32_t f = 0; f < frames.frame_count() && f < max_frames; ++f)
    for (const cv::Mat& image : frames.renderings(f)) {
      std::vector<cv::Rect> regions = reader().find_lines(image);
      const cv::Rect area = band_area.value_or(cv::Rect(0, 0, image.cols, image.rows)) & cv::Rect(0, 0, image.cols, image.rows);
      for (int y = area.y; y + 24 <= area.y + area.height; y += 12) regions.emplace_back(area.x, y, area.width, 24);
      for (const auto& read : reader().read(image, regions)) all += read.text + "\n";
    }
  return all;
}

std::vector<fs::path> dicom_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".dcm") out.push_back(e.path());
  return out;
}

std::string modality(const fs::path& file) {
  auto loaded = dicom::load_lazy(file);
  return dicom::get_string(*loaded.dataset, DCM_Modality);
}

class PixelCleaning : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(run_radveil("key new " + (dir / "k.key").string()).exit_code, 0); }
  CommandResult deid(const fs::path& in, const std::string& name, const std::string& extra) {
    return run_radveil("deid " + in.string() + " " + (dir / name).string() + " --key " + (dir / "k.key").string() +
                       " --quarantine " + (dir / (name + "-q")).string() + " --report " +
                       (dir / (name + ".json")).string() + " " + extra);
  }
  nlohmann::json report(const std::string& name) { return nlohmann::json::parse(std::ifstream(dir / (name + ".json"))); }
  TempDir dir;
};

TEST_F(PixelCleaning, SyntheticUltrasoundIsReleasedWithTheBurnedInPatientBlackedOut) {
  ASSERT_EQ(run_radveil("synth " + (dir / "s").string() + " --patients 2 --slices 2 --rows 32").exit_code, 0);
  const auto run = deid(dir / "s" / "archive", "out", "--option clean-pixel-data --review " + (dir / "review").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto r = report("out");
  EXPECT_EQ(r["counts"]["quarantined"], 0) << run.output;
  // Every instance is looked at (the default --pixel-scan all); only the ultrasound frames, one
  // per patient, carry text: the CT and MR slices come out without a box.
  EXPECT_GT(r["pixel_cleaning"]["instances_cleaned"].get<int>(), 2) << "not only the suspected ultrasound";
  EXPECT_EQ(r["pixel_cleaning"]["frames_redacted"], 2) << "one ultrasound frame per patient";
  EXPECT_GE(r["pixel_cleaning"]["boxes_redacted"].get<int>(), 2) << "burned-in lines in each frame";
  EXPECT_NE(run.output.find("2 frames with text"), std::string::npos) << run.output;

  const auto key = nlohmann::json::parse(std::ifstream(dir / "s" / "answer-key.json"));
  int ultrasound = 0;
  for (const auto& file : dicom_files(dir / "out")) {
    if (modality(file) != "US") continue;
    ++ultrasound;
    auto loaded = dicom::load_lazy(file);
    EXPECT_EQ(dicom::get_string(*loaded.dataset, DCM_BurnedInAnnotation), "NO");
    // The method codes include Clean Pixel Data (113101).
    EXPECT_NE(searchable_bytes(file).find("113101"), std::string::npos);
    const std::string read = everything_read(file);
    deid::IdentifyingValues planted;
    for (const auto& v : key["planted"]["identity"]) planted.add_identifier(v.get<std::string>());
    EXPECT_FALSE(planted.found_in_ocr_text(read)) << "OCR still reads a planted value in " << file.filename();
  }
  EXPECT_EQ(ultrasound, 2);
  // One review PNG per redacted frame, under pseudonymous names only.
  std::size_t pngs = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "review")) {
    if (!e.is_regular_file()) continue;
    EXPECT_EQ(e.path().extension(), ".png");
    EXPECT_EQ(e.path().string().find("SMITH"), std::string::npos);
    EXPECT_EQ(e.path().string().find("MRN"), std::string::npos);
    ++pngs;
  }
  EXPECT_EQ(pngs, 2u);
}

TEST_F(PixelCleaning, WithoutTheOptionUltrasoundIsQuarantinedAndPixelFlagsAreRefused) {
  ASSERT_EQ(run_radveil("synth " + (dir / "s").string() + " --patients 1 --slices 1 --rows 16").exit_code, 0);
  const auto run = deid(dir / "s" / "archive", "plain", "");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(report("plain")["reasons"]["quarantined"]["burned-in-text-risk"], 1);
  EXPECT_EQ(deid(dir / "s" / "archive", "flags", "--review " + (dir / "rv").string()).exit_code, 2);
  EXPECT_EQ(deid(dir / "s" / "archive", "flags2", "--option clean-pixel-data --pixel-text everything").exit_code, 2);
}

TEST_F(PixelCleaning, CorpusUltrasoundComesOutWithItsBurnedInTextGone) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  // The review images are test artefacts for a person to look at: kept in the build tree.
  const fs::path artefacts = fs::path(RADVEIL_BINARY).parent_path() / "test-artefacts" / "pixel-review";
  fs::remove_all(artefacts);
  struct Case {
    const char* file;
    std::vector<std::string> burned;  // words burned into the original that OCR reads there
    std::uint32_t frames = 1000;      // frames to read
  };
  const Case cases[] = {
      {"pydicom-data/US1_UNCR.dcm", {"BAPTIST", "MSCSKEL"}},
      {"pydicom-data/US1_J2KR.dcm", {"BAPTIST", "MSCSKEL"}},
      // Its institution line sits on a textured bar that OCR cannot read even before cleaning;
      // the probe words are the labels OCR does read in the original.
      {"pydicom-data/gdcm-US-ALOKA-16.dcm", {"R15 G66", "9123"}},
      {"pydicom-data/gdcm-US-ALOKA-16_big.dcm", {"R15 G66", "9123"}},
      // Its second frame is the first with stored values shifted: the labels show 4 grey levels
      // above black, invisible on screen, and are not redacted (a known limit: text fainter than
      // 20 grey levels in the rendering is not looked for). The visible first frame is checked.
      {"pydicom-data/OBXXXX1A_2frame.dcm", {"Healthcare", "5/25/2011"}, 1},
  };
  for (const auto& c : cases) {
    const fs::path input = *corpus / c.file;
    // The originals really show these words to OCR, so their absence afterwards means something.
    const std::string before = everything_read(input, c.frames);
    deid::IdentifyingValues burned;
    for (const auto& w : c.burned) burned.add_identifier(w);
    ASSERT_TRUE(burned.found_in_ocr_text(before)) << c.file << " reads:\n" << before;

    const std::string name = fs::path(c.file).stem().string();
    const auto run = deid(input, name, "--option clean-pixel-data --review " + (artefacts / name).string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto r = report(name);
    ASSERT_EQ(r["counts"]["deidentified"], 1) << c.file << "\n" << run.output;
    const auto& cleaned = r["pixel_cleaning"]["instances"][0];
    std::printf("%-40s %d frames, %d with text, %d boxes%s\n", c.file, cleaned["frames"].get<int>(),
                cleaned["frames_redacted"].get<int>(), cleaned["boxes_redacted"].get<int>(),
                cleaned["written_uncompressed"].get<bool>() ? ", written uncompressed" : "");
    EXPECT_GT(cleaned["boxes_redacted"].get<int>(), 0);
    const auto outputs = dicom_files(dir / name);
    ASSERT_EQ(outputs.size(), 1u);
    const std::string after = everything_read(outputs[0], c.frames);
    EXPECT_FALSE(burned.found_in_ocr_text(after)) << c.file << " still shows its burned-in text:\n" << after;
    EXPECT_FALSE(fs::is_empty(artefacts / name)) << "a review image per redacted frame";
  }
}

// The corpus' real radiograph and CT localizer carry the patient's name and dates burned into the
// image, with Burned In Annotation absent: the default Clean Pixel Data looks at them anyway and
// releases them without a word of it legible (ground truth: the words marked in ground_truth.json).
TEST_F(PixelCleaning, RealRadiographAndLocalizerWithoutTheHeaderFlagLoseTheirBurnedInIdentity) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  const auto truth = nlohmann::json::parse(std::ifstream(*corpus / "burned-in" / "ground_truth.json"));
  const std::pair<const char*, const char*> cases[] = {{"0_ORIGINAL_compressed.dcm", "sample_data/0_ORIGINAL.dcm"},
                                                       {"2_ORIGINAL.dcm", "sample_data/2_ORIGINAL.dcm"}};
  for (const auto& [file, key] : cases) {
    const fs::path input = *corpus / "burned-in" / file;
    deid::IdentifyingValues burned;
    cv::Rect words;
    for (const auto& word : truth[key]) {
      const std::string label = word["label"].get<std::string>();
      if (label.size() >= 5) burned.add_identifier(label);  // names and dates; not "[M]"
      words |= cv::Rect(word["left"].get<int>(), word["top"].get<int>(), word["width"].get<int>(), word["height"].get<int>());
    }
    // Bands over the marked words and well around them (a full-size radiograph read in bands
    // would take a minute); Tesseract's own lines cover the rest of the frame.
    const cv::Rect around(words.x - 100, words.y - 100, words.width + 400, words.height + 200);
    ASSERT_TRUE(burned.found_in_ocr_text(everything_read(input, 1, around))) << file << ": its words are legible before";
    const std::string name = fs::path(file).stem().string();
    const auto run = deid(input, name, "--option clean-pixel-data");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto r = report(name);
    ASSERT_EQ(r["counts"]["deidentified"], 1) << file << "\n" << run.output;
    EXPECT_GT(r["pixel_cleaning"]["boxes_redacted"].get<int>(), 0);
    const auto outputs = dicom_files(dir / name);
    ASSERT_EQ(outputs.size(), 1u);
    const std::string after = everything_read(outputs[0], 1, around);
    EXPECT_FALSE(burned.found_in_ocr_text(after)) << file << " still shows a burned-in word:\n" << after;
  }
}

// The whole corpus under Clean Pixel Data: every file accounted for, the run completes (a signed
// JPEG-LS frame once aborted the process inside DCMTK's encoder) and only radveil's own lines
// reach the terminal (no Leptonica, Tesseract, OpenCV or DCMTK message).
TEST(PixelCleaningCorpus, WholeCorpusRunCompletesAndPrintsOnlyRadveilsLines) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  TempDir dir;
  const std::string key = (dir / "k.key").string();
  ASSERT_EQ(run_radveil("key new " + key).exit_code, 0);
  const auto run = run_radveil_within("deid " + corpus->string() + " " + (dir / "out").string() + " --key " + key +
                                          " --report " + (dir / "r.json").string() + " --option clean-pixel-data",
                                      600);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const auto& line : foreign_lines(run.output)) ADD_FAILURE() << "not radveil's line: " << line;
  const auto report = nlohmann::json::parse(std::ifstream(dir / "r.json"));
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(*corpus)) files += e.is_regular_file();
  EXPECT_EQ(report["files"].get<std::size_t>(), files);
  EXPECT_GT(report["pixel_cleaning"]["instances_cleaned"].get<std::size_t>(), 20u);
  std::printf("%s", run.output.c_str());
}

}  // namespace
}  // namespace radveil::test
