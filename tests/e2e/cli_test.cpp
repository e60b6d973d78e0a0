// The CLI's promises: private keys, clear refusals, hostile input survived, the demo works.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace radveil::test {
namespace {

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    key = (dir / "k.key").string();
    ASSERT_EQ(run_radveil("key new " + key).exit_code, 0);
  }
  TempDir dir;
  std::string key;
};

TEST_F(Cli, KeyNewWritesAPrivateKeyAndNeverPrintsIt) {
  const auto other = dir / "other.key";
  const auto r = run_radveil("key new " + other.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  struct stat st {};
  ASSERT_EQ(::stat(other.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string hex = read_file(other);
  hex.pop_back();
  EXPECT_EQ(r.output.find(hex), std::string::npos);
  EXPECT_NE(run_radveil("key new " + other.string()).exit_code, 0) << "an existing key is never overwritten";
}

TEST_F(Cli, DeidRefusesAKeyOthersCanReadWithoutPrintingIt) {
  ::chmod(key.c_str(), 0640);
  std::filesystem::create_directories(dir / "in");
  const auto r = run_radveil("deid " + (dir / "in").string() + " " + (dir / "out").string() + " --key " + key);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("chmod 600"), std::string::npos) << r.output;
  std::string hex = read_file(key);
  hex.pop_back();
  EXPECT_EQ(r.output.find(hex), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST_F(Cli, DeidRefusesUnknownOrConflictingOptionsAndNestedFolders) {
  std::filesystem::create_directories(dir / "in");
  const std::string base = "deid " + (dir / "in").string() + " " + (dir / "out").string() + " --key " + key;
  auto r = run_radveil(base + " --option retain-everything");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("retain-safe-private"), std::string::npos) << "lists the known options";
  r = run_radveil(base + " --option retain-long-full-dates --option retain-long-modified-dates");
  EXPECT_EQ(r.exit_code, 2);
  r = run_radveil("deid " + dir.path().string() + " " + (dir / "inside").string() + " --key " + key);
  EXPECT_EQ(r.exit_code, 2) << "output inside input would be walked as input";
}

TEST_F(Cli, FailOnQuarantineGivesExitStatus3) {
  ASSERT_EQ(run_radveil("synth " + (dir / "s").string() + " --patients 1 --slices 1 --rows 16").exit_code, 0);
  const std::string base = "deid " + (dir / "s" / "archive").string() + " " + (dir / "out").string() + " --key " + key;
  EXPECT_EQ(run_radveil(base + " --fail-on-quarantine").exit_code, 3) << "the ultrasound is quarantined";
}

// Truncated, empty, random, over-deep and non-DICOM files, a folder named after a patient and a
// symlink loop: each gets its own outcome, the run finishes, and the good file gets through.
TEST_F(Cli, HostileInputNeverStopsTheRunOrLeaksIntoPaths) {
  ASSERT_EQ(run_radveil("synth " + (dir / "s").string() + " --patients 1 --slices 2 --rows 32").exit_code, 0);
  const auto in = dir / "hostile" / "DOE^JOHN MRN4242";
  std::filesystem::create_directories(in);
  const auto answer = nlohmann::json::parse(std::ifstream(dir / "s" / "answer-key.json"));
  const auto good = dir / "s" / "archive" / answer["instances"][0]["path"].get<std::string>();
  std::filesystem::copy_file(good, in / "good JOHN DOE.dcm");
  const std::string bytes = read_file(good);
  std::ofstream(in / "truncated.dcm", std::ios::binary) << bytes.substr(0, bytes.size() / 3);
  std::ofstream(in / "header-only.dcm", std::ios::binary) << bytes.substr(0, 200);
  std::ofstream(in / "empty.dcm", std::ios::binary) << "";
  std::string noise(5000, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::ofstream(in / "noise.dcm", std::ios::binary) << noise;
  // 100000 nested undefined-length sequences after a valid start: a stack-overflow attempt.
  {
    std::ofstream deep(in / "deep.dcm", std::ios::binary);
    deep << std::string(128, '\0') << "DICM";
    auto el = [&](std::uint16_t g, std::uint16_t e, const char* vr, const std::string& v) {
      deep.write(reinterpret_cast<const char*>(&g), 2);
      deep.write(reinterpret_cast<const char*>(&e), 2);
      deep << vr;
      const std::uint16_t len = static_cast<std::uint16_t>(v.size());
      deep.write(reinterpret_cast<const char*>(&len), 2);
      deep << v;
    };
    const std::string ts = std::string("1.2.840.10008.1.2.1") + '\0';
    const std::uint32_t meta_len = 8 + static_cast<std::uint32_t>(ts.size());
    deep.write("\x02\x00\x00\x00UL\x04\x00", 8);
    deep.write(reinterpret_cast<const char*>(&meta_len), 4);
    el(0x0002, 0x0010, "UI", ts);
    el(0x0008, 0x0016, "UI", std::string("1.2.840.10008.5.1.4.1.1.2") + '\0');
    for (int i = 0; i < 100000; ++i)
      deep.write("\x40\x00\x30\xA7SQ\x00\x00\xFF\xFF\xFF\xFF\xFE\xFF\x00\xE0\xFF\xFF\xFF\xFF", 20);
  }
  std::ofstream(in / "notes.txt") << "JOHN DOE, MRN4242, born 1962\n";
  std::filesystem::create_directory_symlink("..", in / "loop");

  const auto out = dir / "out", report = dir / "r.json";
  const auto r = run_radveil("deid " + (dir / "hostile").string() + " " + out.string() + " --key " + key +
                             " --quarantine " + (dir / "q").string() + " --report " + report.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rep = nlohmann::json::parse(std::ifstream(report));
  EXPECT_EQ(rep["counts"]["deidentified"], 1) << r.output;
  EXPECT_EQ(rep["reasons"]["skipped"]["not-dicom"], 3) << "notes.txt, empty.dcm and noise.dcm are not DICOM";
  EXPECT_EQ(rep["counts"]["quarantined"], 3) << r.output;
  EXPECT_EQ(rep["reasons"]["quarantined"]["unparseable"], 2) << "truncated and header-only";
  EXPECT_EQ(rep["reasons"]["quarantined"]["sequence-too-deep"], 1);
  for (const auto& e : std::filesystem::recursive_directory_iterator(out)) {
    const std::string p = e.path().string();
    EXPECT_EQ(p.find("DOE"), std::string::npos) << p;
    EXPECT_EQ(p.find("JOHN"), std::string::npos) << p;
    EXPECT_EQ(p.find("4242"), std::string::npos) << p;
  }
  EXPECT_TRUE(std::filesystem::is_empty(out / ".radveil" / "tmp")) << "a staged file was left behind";
  EXPECT_EQ(r.output.find("DOE"), std::string::npos) << r.output;
}

TEST_F(Cli, DemoShowsInputOutputQuarantineReportAndABeforeAfterHeader) {
  const auto r = run_radveil("demo --dir " + (dir / "demo").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* s : {"input:", "output:", "quarantine:", "report:", "Patient's Name", "before", "after"})
    EXPECT_NE(r.output.find(s), std::string::npos) << s << "\n" << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "demo" / "report.json"));
}

}  // namespace
}  // namespace radveil::test
