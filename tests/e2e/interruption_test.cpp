// A run killed with SIGKILL at any moment loses nothing, writes nothing twice, leaves no partial
// or temporary file, and the same command finishes it into a tree byte-identical to an
// uninterrupted run. Inputs that change under a run are reported per file and never corrupt it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;

// Relative path -> bytes of every file of a de-identified tree (the state folder aside).
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  if (!fs::exists(root)) return files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() == ".radveil") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files[fs::relative(it->path(), root).string()] = read_file(it->path());
  }
  return files;
}

class Interruption : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run_radveil("synth " + (dir / "s").string() + " --patients 6 --slices 30 --rows 256 --seed 11").exit_code, 0);
    archive = dir / "s" / "archive";
    key = (dir / "k.key").string();
    ASSERT_EQ(run_radveil("key new " + key).exit_code, 0);
  }
  std::string deid_args(const std::string& name) const {
    return "deid " + archive.string() + " " + (dir / name).string() + " --key " + key + " --quarantine " +
           (dir / (name + "-q")).string() + " --report " + (dir / (name + ".json")).string();
  }
  TempDir dir;
  fs::path archive;
  std::string key;
};

// Outputs published under final names so far (the state folder aside). The tree changes while it
// is counted, so errors only end the count early.
std::size_t published(const fs::path& root) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->path().filename() == ".radveil") {
      it.disable_recursion_pending();
      continue;
    }
    n += it->is_regular_file(ec);
  }
  return n;
}

TEST_F(Interruption, TwentySigkillsAtRandomMomentsThenResumeGiveTheUninterruptedTree) {
  const auto reference_run = run_radveil(deid_args("reference"));
  ASSERT_EQ(reference_run.exit_code, 0) << reference_run.output;
  const auto reference = tree(dir / "reference");
  const auto reference_report = nlohmann::json::parse(std::ifstream(dir / "reference.json"));
  ASSERT_GT(reference.size(), 250u);

  // Kills are placed by the run's progress, not by the clock, so they land while it works however
  // busy the machine is: each waits until a random number of further outputs (up to a fortieth of
  // the archive, possibly none, i.e. during start-up) is published, then a random few hundred
  // microseconds more, so some hit the middle of a write. (Bounded by what was left instead, a
  // third and then an eighth of it, twenty kills plus the files a fast run publishes between the
  // last count and the kill used up the whole archive: seen in CI, at kill 15.)
  std::mt19937 rng(20261125);
  std::size_t interrupted = 0;
  for (int kill = 0; kill < 20; ++kill) {
    const std::size_t before = published(dir / "killed");
    ASSERT_LT(before, reference.size()) << "kill " << kill << ": the job finished between kills";
    const std::size_t target =
        before + std::uniform_int_distribution<std::size_t>(0, reference.size() / 40)(rng);
    const int pid = spawn_radveil(deid_args("killed"));
    ASSERT_GT(pid, 0);
    int status = 0;
    bool exited = false;
    while (!(exited = ::waitpid(pid, &status, WNOHANG) == pid) && published(dir / "killed") < target)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    if (!exited) {
      std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 400)(rng)));
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
    interrupted += WIFSIGNALED(status);
    // Whatever moment the kill hit, every file under a final name is complete and correct.
    for (const auto& [path, bytes] : tree(dir / "killed")) {
      auto it = reference.find(path);
      ASSERT_NE(it, reference.end()) << "unexpected file after kill " << kill << ": " << path;
      ASSERT_TRUE(it->second == bytes) << "partial or different file after kill " << kill << ": " << path;
    }
  }
  EXPECT_GE(interrupted, 15u) << "kills are placed while the run still has work";

  const auto resumed = run_radveil(deid_args("killed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto final_tree = tree(dir / "killed");
  EXPECT_EQ(final_tree.size(), reference.size()) << "no instance lost";
  EXPECT_TRUE(final_tree == reference) << "the resumed tree differs from an uninterrupted run";
  EXPECT_TRUE(fs::is_empty(dir / "killed" / ".radveil" / "tmp")) << "staged files left behind";
  EXPECT_FALSE(fs::exists(dir / "killed-q" / ".tmp")) << "quarantine copies left half-done";

  const auto report = nlohmann::json::parse(std::ifstream(dir / "killed.json"));
  EXPECT_EQ(report["counts"], reference_report["counts"]);
  EXPECT_EQ(report["reasons"], reference_report["reasons"]) << "nothing written twice: no duplicate reasons";
  EXPECT_EQ(report["quarantined"].size(), reference_report["quarantined"].size());
  std::ifstream manifest(dir / "killed-q" / "manifest.jsonl");
  std::size_t lines = 0;
  for (std::string line; std::getline(manifest, line);) ++lines;
  EXPECT_EQ(lines, report["quarantined"].size()) << "one manifest line per quarantined file";
}

TEST_F(Interruption, InputsChangingUnderTheRunAreReportedAndNeverCorruptTheOutput) {
  ASSERT_EQ(run_radveil(deid_args("reference")).exit_code, 0);
  const auto reference = tree(dir / "reference");
  // Mutate a third of the files while a run is working: truncate, delete, or overwrite with noise.
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(archive))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const int pid = spawn_radveil(deid_args("changing"));
  ASSERT_GT(pid, 0);
  std::mt19937 rng(7);
  std::shuffle(files.begin(), files.end(), rng);
  std::size_t deleted = 0;
  for (std::size_t i = 0; i < files.size() / 3; ++i) {
    const auto& f = files[i];
    deleted += i % 3 == 1;
    switch (i % 3) {
      case 0: fs::resize_file(f, fs::file_size(f) / 2); break;
      case 1: fs::remove(f); break;
      case 2: std::ofstream(f, std::ios::binary | std::ios::trunc) << std::string(4096, '\x5a'); break;
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the run must finish";
  // Every file that came out is exactly what the unchanged input gives; the rest is accounted for.
  const auto out = tree(dir / "changing");
  for (const auto& [path, bytes] : out) {
    auto it = reference.find(path);
    ASSERT_NE(it, reference.end()) << path;
    EXPECT_TRUE(it->second == bytes) << "corrupt output " << path;
  }
  const auto report = nlohmann::json::parse(std::ifstream(dir / "changing.json"));
  // Every file the walk met is reported; a file deleted before the walk reached it is no input.
  const auto reported = report["files"].get<std::size_t>();
  EXPECT_GE(reported, files.size() - deleted);
  EXPECT_LE(reported, files.size());
  std::printf("changing inputs: %s\n", report["reasons"].dump().c_str());
  const auto counts = report["counts"];
  EXPECT_EQ(reported, counts["deidentified"].get<std::size_t>() + counts["quarantined"].get<std::size_t>() +
                          counts["skipped"].get<std::size_t>());
  EXPECT_TRUE(fs::is_empty(dir / "changing" / ".radveil" / "tmp"));
}

}  // namespace
}  // namespace radveil::test
