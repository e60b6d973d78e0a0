// Real files from ../shared/corpus: every one is de-identified or quarantined with a reason (or,
// for DICOMDIR and non-DICOM files, skipped with a reason), and outputs keep IOD conformance.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace radveil::test {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class CorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus = corpus_dir();
    if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
    ASSERT_EQ(run_radveil("key new " + (dir / "k.key").string()).exit_code, 0);
  }
  std::optional<std::filesystem::path> corpus;
  TempDir dir;
};

TEST_F(CorpusTest, EveryFileIsDeidentifiedOrQuarantinedWithAReason) {
  std::map<std::string, std::size_t> totals;
  std::size_t n = 0;
  for (const char* folder : {"pydicom", "pydicom-data"}) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(*corpus / folder))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    ASSERT_GT(files.size(), 50u) << folder;
    for (const auto& file : files) {
      const auto tag = std::to_string(n++);
      const auto report = dir / ("r" + tag + ".json");
      const auto run = run_radveil("deid " + shell_quote(file.string()) + " " + (dir / ("o" + tag)).string() + " --key " +
                                   (dir / "k.key").string() + " --quarantine " + (dir / ("q" + tag)).string() +
                                   " --report " + report.string());
      ASSERT_EQ(run.exit_code, 0) << file << "\n" << run.output;
      const auto r = nlohmann::json::parse(std::ifstream(report));
      const std::size_t d = r["counts"]["deidentified"], q = r["counts"]["quarantined"], s = r["counts"]["skipped"];
      ASSERT_EQ(d + q + s, 1u) << file;
      std::string outcome = d ? "deidentified" : q ? "quarantined" : "skipped";
      std::string reason;
      if (q) {
        ASSERT_EQ(r["quarantined"].size(), 1u);
        reason = r["quarantined"][0]["reason"];
        EXPECT_FALSE(reason.empty()) << file;
        EXPECT_TRUE(std::filesystem::exists(dir / ("q" + tag) / reason)) << "the original is kept for review";
      }
      if (s) {
        reason = r["reasons"]["skipped"].begin().key();
        EXPECT_TRUE(reason == "dicomdir" || reason == "not-dicom") << file << ": " << reason;
      }
      ++totals[outcome + (reason.empty() ? "" : " (" + reason + ")")];
      std::printf("%-60s %s %s\n", std::filesystem::relative(file, *corpus).c_str(), outcome.c_str(), reason.c_str());
    }
  }
  std::printf("\n");
  for (const auto& [k, v] : totals) std::printf("%4zu  %s\n", v, k.c_str());
  EXPECT_GT(totals["deidentified"], 80u);
}

TEST_F(CorpusTest, OutputsHaveNoIodErrorsTheirInputsDidNotHave) {
  for (const char* folder : {"pydicom", "pydicom-data"}) {
    const auto out = dir / (std::string("out-") + folder);
    const auto run = run_radveil("deid " + (*corpus / folder).string() + " " + out.string() + " --key " +
                                 (dir / "k.key").string() + " --quarantine " + (dir / (std::string("q-") + folder)).string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const std::string script = std::string(RADVEIL_SOURCE_DIR) + "/tests/tools/dciodvfy_compare.py";
    const std::string command = "python3 " + script + " " + (dir / "k.key").string() + " " + (*corpus / folder).string() +
                                " " + out.string() + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buf[4096];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, got);
    const int status = ::pclose(pipe);
    std::printf("%s: %s", folder, output.c_str());
    EXPECT_EQ(WEXITSTATUS(status), 0) << output;
    EXPECT_NE(output.find("compared "), std::string::npos) << output;
  }
}

}  // namespace
}  // namespace radveil::test
