// Every corpus file, damaged by fixed seeds (bits flipped, cut short, length fields and VR bytes
// corrupted, bytes spliced in), through `deid --report` header-only and with every option: no
// crash, no hang, no failed run, every file accounted for, and no input text in any report or
// manifest field but the source path. Seeds are fixed, so a failure reproduces.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/mutations.h"
#include "support/report_checks.h"
#include "support/test_support.h"

namespace radveil::test {
namespace {

namespace fs = std::filesystem;

constexpr int kLiveness = 420;  // seconds: a run still going after this has hung
constexpr std::size_t kLeakRun = 6;  // input text this long must not appear in a report field

struct MutationCase {
  int seed;
  bool every_option;
};

void PrintTo(const MutationCase& c, std::ostream* os) {
  *os << "seed " << c.seed << (c.every_option ? ", every option" : ", header only");
}

std::string case_name(const ::testing::TestParamInfo<MutationCase>& info) {
  return "Seed" + std::to_string(info.param.seed) + (info.param.every_option ? "EveryOption" : "HeaderOnly");
}

// Every option at once; the two longitudinal options exclude each other, so the one that changes
// more (shifted dates) is taken.
const char* kEveryOption =
    " --option retain-safe-private --option retain-uids --option retain-device-identity"
    " --option retain-institution-identity --option retain-patient-characteristics"
    " --option retain-long-modified-dates --option clean-descriptors --option clean-structured-content"
    " --option clean-graphics --option clean-pixel-data --option clean-recognizable-visual-features";

class CorpusMutations : public ::testing::TestWithParam<MutationCase> {
 protected:
  // The corpus, each file damaged once: the kind rotates with the file's index and the seed, so
  // every file meets several kinds over the seeds. Returns mutated path -> kind.
  std::map<fs::path, Mutation> write_mutated_corpus(const fs::path& corpus, const fs::path& into, int seed) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(corpus))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::map<fs::path, Mutation> kinds;
    for (std::size_t i = 0; i < files.size(); ++i) {
      const Mutation kind = kMutations[(i + static_cast<std::size_t>(seed)) % std::size(kMutations)];
      const fs::path target = into / fs::relative(files[i], corpus);
      fs::create_directories(target.parent_path());
      std::ofstream(target, std::ios::binary) << mutate(read_file(files[i]), kind, seed * 1000003ull + i);
      kinds[target] = kind;
    }
    return kinds;
  }
  TempDir dir;
};

TEST_P(CorpusMutations, EveryFileIsAccountedForAndNoReportQuotesTheInput) {
  const auto corpus = corpus_dir();
  if (!corpus) GTEST_SKIP() << "../shared/corpus is absent";
  const auto [seed, every_option] = GetParam();
  const fs::path in = dir / "in", out = dir / "out", quarantine = dir / "q", report_file = dir / "report.json";
  const auto kinds = write_mutated_corpus(*corpus, in, seed);
  const std::string key = (dir / "k.key").string();
  ASSERT_EQ(run_radveil("key new " + key).exit_code, 0);

  const auto run = run_radveil_within("deid " + in.string() + " " + out.string() + " --key " + key + " --quarantine " +
                                          quarantine.string() + " --report " + report_file.string() +
                                          (every_option ? kEveryOption : ""),
                                      kLiveness);
  ASSERT_NE(run.exit_code, kHung) << "the run hung";
  ASSERT_LT(run.exit_code, 128) << "the run crashed (signal " << run.exit_code - 128 << ")\n" << run.output;
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // Only radveil speaks: no parser, codec, OCR or image library line reaches the terminal.
  for (const auto& line : foreign_lines(run.output)) ADD_FAILURE() << "not radveil's line: " << line;

  // Every file is written, quarantined with a reason, or skipped with a reason.
  const auto report = nlohmann::json::parse(std::ifstream(report_file));
  const auto counts = report["counts"];
  EXPECT_EQ(report["files"].get<std::size_t>(), kinds.size());
  EXPECT_EQ(counts["deidentified"].get<std::size_t>() + counts["quarantined"].get<std::size_t>() +
                counts["skipped"].get<std::size_t>(),
            kinds.size());
  const auto manifest = read_manifest(quarantine);
  EXPECT_EQ(manifest.size(), counts["quarantined"].get<std::size_t>());
  std::size_t written = 0;
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.is_regular_file() && e.path().extension() == ".dcm" &&
        e.path().string().find("/.radveil/") == std::string::npos)
      ++written;
  EXPECT_EQ(written, counts["deidentified"].get<std::size_t>());

  // Report and manifest hold radveil's words and validated values: printable, and no text of the
  // file they describe (its source path aside).
  for (const auto& s : strings_in(report)) EXPECT_TRUE(printable_ascii(s)) << "report string with raw bytes";
  std::map<std::string, std::string> detail_of_id;
  for (const auto& q : report["quarantined"]) detail_of_id[q["id"]] = q["detail"];
  std::size_t checked_runs = 0;
  for (const auto& line : manifest) {
    SCOPED_TRACE(line.source);
    EXPECT_FALSE(line.reason.empty());
    for (const auto& [field, value] : line.fields.items()) {
      if (field == "source") continue;
      ASSERT_TRUE(value.is_string()) << field;
      EXPECT_TRUE(printable_ascii(value.get<std::string>())) << field;
    }
    const auto runs = text_runs(read_file(line.source), kLeakRun);
    checked_runs += runs.size();
    for (const auto& text : runs) {
      EXPECT_EQ(line.detail.find(text), std::string::npos) << "manifest detail quotes the input: " << line.detail;
      EXPECT_EQ(detail_of_id[line.id].find(text), std::string::npos) << "report detail quotes the input";
    }
  }
  EXPECT_GT(checked_runs, 0u) << "the leak check saw no input text";

  std::map<std::string, std::size_t> by_reason;
  std::map<Mutation, std::size_t> files_of_kind, quarantined_of_kind;
  for (const auto& [file, kind] : kinds) ++files_of_kind[kind];
  for (const auto& line : manifest) {
    ++by_reason[line.reason];
    const auto it = kinds.find(line.source);
    if (it != kinds.end()) ++quarantined_of_kind[it->second];
  }
  std::string summary;
  for (const auto& [reason, n] : by_reason) summary += " " + reason + "=" + std::to_string(n);
  std::printf("seed %d %s: %zu files, %zu written, %zu quarantined, %zu skipped\n  reasons:%s\n  quarantined per kind:",
              seed, every_option ? "every option" : "header only", kinds.size(), written, manifest.size(),
              counts["skipped"].get<std::size_t>(), summary.c_str());
  for (const auto& [kind, n] : files_of_kind)
    std::printf(" %s %zu/%zu", std::string(mutation_name(kind)).c_str(), quarantined_of_kind[kind], n);
  std::printf("\n");
}

INSTANTIATE_TEST_SUITE_P(Seeds, CorpusMutations,
                         // Five seeds: each file meets each kind of damage once per mode.
                         ::testing::Values(MutationCase{1, false}, MutationCase{1, true}, MutationCase{2, false},
                                           MutationCase{2, true}, MutationCase{3, false}, MutationCase{3, true},
                                           MutationCase{4, false}, MutationCase{4, true}, MutationCase{5, false},
                                           MutationCase{5, true}),
                         case_name);

}  // namespace
}  // namespace radveil::test
