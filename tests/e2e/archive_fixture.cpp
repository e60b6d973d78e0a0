#include "e2e/archive_fixture.h"

#include <algorithm>
#include <fstream>

#include "core/latin1.h"

namespace radveil::test {
namespace {

std::string upper_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return s;
}

}  // namespace

void ArchiveTest::SetUpTestSuite() {
  dir = std::make_unique<TempDir>();
  auto synth = run_radveil("synth " + (dir->path() / "synth").string() + " --patients 4 --slices 4 --rows 64 --seed 7");
  ASSERT_EQ(synth.exit_code, 0) << synth.output;
  archive = dir->path() / "synth" / "archive";
  answer = nlohmann::json::parse(std::ifstream(dir->path() / "synth" / "answer-key.json"));
  key_a = dir->path() / "a.key";
  key_b = dir->path() / "b.key";
  // Fixed keys: the outcome depends on the key (shifted dates, keyed UIDs), and a suite must give
  // the same answer every run.
  write_fixed_key(key_a, 1);
  write_fixed_key(key_b, 2);
  basic = deid("basic", key_a, "");
  basic_again = deid("basic-again", key_a, "--jobs 1");
  other_key = deid("other-key", key_b, "");
  rich = deid("rich", key_a,
              "--option retain-long-modified-dates --option clean-descriptors --option clean-structured-content "
              "--option clean-graphics --option retain-safe-private");
}

void ArchiveTest::TearDownTestSuite() { dir.reset(); }

DeidRun ArchiveTest::deid(const std::string& name, const std::filesystem::path& key, const std::string& extra) {
  DeidRun run;
  run.out = dir->path() / ("out-" + name);
  run.quarantine = dir->path() / ("quarantine-" + name);
  run.report = dir->path() / ("report-" + name + ".json");
  run.result = run_radveil("deid " + archive.string() + " " + run.out.string() + " --key " + key.string() +
                           " --quarantine " + run.quarantine.string() + " --report " + run.report.string() + " " + extra);
  return run;
}

std::vector<std::filesystem::path> ArchiveTest::files_under(const std::filesystem::path& d) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(d)) return files;
  // The job's state folder (.radveil: journal, staging) is not part of the de-identified tree.
  for (auto it = std::filesystem::recursive_directory_iterator(d); it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (it->path().filename() == ".radveil") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> ArchiveTest::forms_of(const std::string& s) {
  std::vector<std::string> forms;
  for (const std::string& f : {s, upper_ascii(s), utf8_to_latin1(s), utf8_to_latin1(upper_ascii(s))})
    if (std::find(forms.begin(), forms.end(), f) == forms.end()) forms.push_back(f);
  return forms;
}

std::vector<std::string> ArchiveTest::planted_forms(const std::vector<std::string>& categories) {
  std::vector<std::string> forms;
  for (const auto& category : categories)
    for (const auto& v : answer["planted"][category])
      for (const auto& f : forms_of(v.get<std::string>()))
        if (std::find(forms.begin(), forms.end(), f) == forms.end()) forms.push_back(f);
  return forms;
}

}  // namespace radveil::test
